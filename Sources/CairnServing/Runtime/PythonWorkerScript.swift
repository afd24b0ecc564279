/// The Python side of the worker protocol: loads an MLflow model with `mlflow.pyfunc.load_model`,
/// reports its signature, then answers framed predict requests until its input closes.
///
/// Model code that prints cannot corrupt the protocol: the worker keeps private copies of the pipe
/// descriptors and points the process's own stdout at stderr and stdin at /dev/null. Tabular inputs
/// are turned into DataFrames with MLflow's own schema-aware reader, so types are enforced exactly as
/// MLflow's scoring server enforces them.
enum PythonWorkerScript {
    static let source = #"""
        import json
        import os
        import platform
        import struct
        import sys
        import time
        import traceback


        def read_exact(stream, n):
            chunks = []
            while n > 0:
                chunk = stream.read(n)
                if not chunk:
                    return None
                chunks.append(chunk)
                n -= len(chunk)
            return b"".join(chunks)


        def send(stream, obj):
            try:
                body = json.dumps(obj, allow_nan=False, default=_default).encode("utf-8")
            except ValueError:
                body = json.dumps(_finite(obj), allow_nan=False, default=_default).encode("utf-8")
            stream.write(struct.pack(">I", len(body)) + body)
            stream.flush()


        def _default(value):
            import numpy as np

            if isinstance(value, np.generic):
                return value.item()
            if isinstance(value, np.ndarray):
                return value.tolist()
            if isinstance(value, (bytes, bytearray)):
                import base64

                return base64.b64encode(value).decode("ascii")
            if hasattr(value, "isoformat"):
                return value.isoformat()
            return str(value)


        def _finite(value):
            if isinstance(value, float):
                if value != value:
                    return "NaN"
                if value in (float("inf"), float("-inf")):
                    return "Infinity" if value > 0 else "-Infinity"
                return value
            if isinstance(value, dict):
                return {k: _finite(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [_finite(v) for v in value]
            return value


        def main():
            model_dir = sys.argv[1]
            proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
            proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
            # The model's own prints go to stderr; nothing but frames reaches the protocol pipe.
            os.dup2(2, 1)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            started = time.monotonic()
            try:
                import mlflow
                import mlflow.pyfunc
                import pandas as pd

                try:
                    from mlflow.utils.proto_json_utils import _get_jsonable_obj as jsonable
                except ImportError:
                    jsonable = None
                try:
                    from mlflow.utils.proto_json_utils import dataframe_from_parsed_json, parse_tf_serving_input
                except ImportError:
                    dataframe_from_parsed_json = None
                    parse_tf_serving_input = None
                model = mlflow.pyfunc.load_model(model_dir)
                meta = model.metadata
                signature = meta.signature if meta is not None else None
                input_schema = signature.inputs if signature is not None else None
                info = {
                    "inputs": input_schema.to_dict() if input_schema is not None else None,
                    "outputs": signature.outputs.to_dict() if signature is not None and signature.outputs else None,
                    "params": signature.params.to_dict() if signature is not None and signature.params else None,
                    "flavors": sorted((meta.flavors or {}).keys()) if meta is not None else [],
                    "python_version": platform.python_version(),
                    "mlflow_version": mlflow.__version__,
                    "load_seconds": time.monotonic() - started,
                    "pid": os.getpid(),
                }
            except BaseException as exc:
                send(proto_out, {"ok": False, "message": f"Cannot load the model: {exc!r}", "trace": traceback.format_exc()})
                return 1
            send(proto_out, {"ok": True, "info": info})

            def to_json(predictions):
                if jsonable is not None:
                    return jsonable(predictions, pandas_orient="records")
                if hasattr(predictions, "to_dict"):
                    return predictions.to_dict(orient="records") if hasattr(predictions, "columns") else predictions.tolist()
                if hasattr(predictions, "tolist"):
                    return predictions.tolist()
                return predictions

            while True:
                header = read_exact(proto_in, 4)
                if header is None:
                    return 0
                (size,) = struct.unpack(">I", header)
                body = read_exact(proto_in, size)
                if body is None:
                    return 0
                try:
                    request = json.loads(body)
                    params = request.get("params")
                    if "binary_rows" in request:
                        import numpy as np

                        rows = request["binary_rows"]
                        columns = request["columns"]
                        (size,) = struct.unpack(">I", read_exact(proto_in, 4))
                        raw = bytearray(read_exact(proto_in, size))
                        values = np.frombuffer(raw, dtype="<f8").reshape(len(columns), rows)
                        data = pd.DataFrame({name: values[i] for i, name in enumerate(columns)})
                    elif "columns" in request:
                        split = {"columns": request["columns"], "data": request["data"]}
                        if dataframe_from_parsed_json is not None:
                            data = dataframe_from_parsed_json(split, pandas_orient="split", schema=input_schema)
                        else:
                            data = pd.DataFrame(data=request["data"], columns=request["columns"])
                    else:
                        document = {request["format"]: request["value"]}
                        data = parse_tf_serving_input(document, schema=input_schema)
                    if params is not None:
                        predictions = model.predict(data, params=params)
                    else:
                        predictions = model.predict(data)
                    send(proto_out, {"ok": True, "predictions": to_json(predictions)})
                except mlflow.exceptions.MlflowException as exc:
                    send(proto_out, {"ok": False, "status": 400, "error_code": exc.error_code, "message": exc.message})
                except Exception as exc:
                    send(
                        proto_out,
                        {
                            "ok": False,
                            "status": 500,
                            "error_code": "INTERNAL_ERROR",
                            "message": f"Encountered an unexpected error while evaluating the model: {exc!r}",
                            "trace": traceback.format_exc(),
                        },
                    )


        if __name__ == "__main__":
            sys.exit(main())
        """#
}
