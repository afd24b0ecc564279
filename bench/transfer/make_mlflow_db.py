"""Writes an MLflow SQLite database with many metric points, for timing `cairn import mlflow` and `cairn db copy`.

    python make_mlflow_db.py OUT.db [RUNS] [POINTS_PER_RUN]

Needs the full ``mlflow`` package. Defaults: 20 runs x 5,000 points = 100,000 metric points.
"""

import os
import sys
import time
import warnings

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
warnings.filterwarnings("ignore")

from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param  # noqa: E402


def main(out: str, runs: int, points: int) -> None:
    client = MlflowClient(f"sqlite:///{os.path.abspath(out)}")
    exp = client.create_experiment("bench")
    now = int(time.time() * 1000)
    for r in range(runs):
        run = client.create_run(exp, run_name=f"run-{r}").info.run_id
        client.log_batch(run, params=[Param(f"p{i}", str(i)) for i in range(10)])
        for start in range(0, points, 1000):
            batch = [
                Metric(f"m{s % 5}", 1.0 / (s + 1), now + s, s) for s in range(start, min(start + 1000, points))
            ]
            client.log_batch(run, metrics=batch)
        client.set_terminated(run)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20, int(sys.argv[3]) if len(sys.argv) > 3 else 5000)
