"""spconnector: a serverless customer-service engine for Amazon sellers and their agencies."""

__version__ = "0.1.0"
