"""Local runs: read template.yaml, resolve a function's handler and environment, run it
in-process against the simulator and moto (`spconnector local invoke`), or serve both for
`sam local invoke` (`spconnector local up`)."""
