"""Understanding buyers: a trained multilingual model (intent, wants, signals, language).

Nothing heavy is imported here: the model loads lazily, on first use (the Lambda handler's cold
import stays small). Training needs scikit-learn (`spconnector model train`); inference needs
only numpy and the shipped artifact.
"""
