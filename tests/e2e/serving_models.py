"""Small pyfunc models with deliberate behaviours, for the serving tests.

They live in their own module so that the workers of ``cairn serve`` can import them
(the tests put this folder on the workers' PYTHONPATH).
"""

import os
import time

import mlflow.pyfunc
import pandas as pd


class Doubler(mlflow.pyfunc.PythonModel):
    """Returns 2·x; x = -1 sleeps 3 s, x = -500 raises, x = -999 kills the worker process."""

    def predict(self, context, model_input, params=None):
        x = model_input["x"]
        if (x == -999).any():
            os._exit(3)
        if (x == -500).any():
            raise ValueError("the model refused x = -500")
        if (x == -1).any():
            time.sleep(3)
        factor = (params or {}).get("factor", 2.0)
        return pd.Series(x * factor).tolist()


class Failing(mlflow.pyfunc.PythonModel):
    """Fails every prediction."""

    def predict(self, context, model_input, params=None):
        raise RuntimeError("this model always fails")


class Slow(mlflow.pyfunc.PythonModel):
    """Answers like Doubler after 0.5 s."""

    def predict(self, context, model_input, params=None):
        time.sleep(0.5)
        return (model_input["x"] * 2).tolist()


class SignOfFirst(mlflow.pyfunc.PythonModel):
    """Predicts 1 when the first column is positive, else 0 (the monitoring tests' classifier)."""

    def predict(self, context, model_input, params=None):
        return (model_input.iloc[:, 0] > 0).astype(int).tolist()
