import Foundation

/// A small `mlruns` folder laid out the way MLflow 3's file store writes it.
enum MLflowFixture {
    static let run = "0123456789abcdef0123456789abcdef"
    static let deletedRun = "fedcba9876543210fedcba9876543210"
    static let model = "m-00112233445566778899aabbccddeeff"

    /// Writes the folder below `dir/mlruns` and returns its path.
    static func write(in dir: TemporaryFolder) throws -> String {
        let root = dir.path + "/mlruns"
        try dir.write(
            "mlruns/0/meta.yaml",
            """
            artifact_location: file://\(root)/0
            creation_time: 1000
            experiment_id: '0'
            last_update_time: 1000
            lifecycle_stage: active
            name: Default
            workspace: default
            """)
        try dir.write(
            "mlruns/7/meta.yaml",
            """
            artifact_location: file://\(root)/7
            creation_time: 2000
            experiment_id: '7'
            last_update_time: 2500
            lifecycle_stage: active
            name: vision
            trace_location: null
            workspace: default
            """)
        try dir.write("mlruns/7/tags/team", "cv")
        try dir.write(
            "mlruns/7/\(run)/meta.yaml",
            """
            artifact_uri: file://\(root)/7/\(run)/artifacts
            end_time: 3500
            experiment_id: '7'
            lifecycle_stage: active
            run_id: \(run)
            run_name: trained
            source_type: 4
            start_time: 3000
            status: 3
            tags: []
            user_id: ana
            """)
        try dir.write("mlruns/7/\(run)/params/alpha", "0.5")
        try dir.write("mlruns/7/\(run)/params/nested/key", "deep")
        try dir.write("mlruns/7/\(run)/tags/mlflow.runName", "trained")
        try dir.write("mlruns/7/\(run)/tags/note", "two\nlines")
        try dir.write("mlruns/7/\(run)/metrics/loss", "10 1.0 0\n11 0.5 1\n12 0.25 2\n")
        try dir.write("mlruns/7/\(run)/metrics/odd", "10 nan 0\n11 inf 1\n12 -inf 2\n10 2.5 2\n")
        try dir.write("mlruns/7/\(run)/artifacts/model/MLmodel", "flavors: {}\n")
        try dir.write(
            "mlruns/7/\(run)/inputs/aaaa/meta.yaml",
            """
            destination_id: dddd
            destination_type: RUN
            source_id: dddd
            source_type: DATASET
            tags:
              mlflow.data.context: training
            """)
        try dir.write(
            "mlruns/7/datasets/dddd/meta.yaml",
            """
            digest: fc89c70b
            name: train-frame
            profile: '{"num_rows": 4}'
            schema: null
            source: '{"uri": "s3://b/train.csv"}'
            source_type: s3
            """)
        try dir.write(
            "mlruns/7/\(run)/outputs/\(model)/meta.yaml",
            """
            destination_id: \(model)
            destination_type: MODEL_OUTPUT
            source_id: \(model)
            source_type: RUN_OUTPUT
            step: 4
            tags: {}
            """)
        try dir.write(
            "mlruns/7/models/\(model)/meta.yaml",
            """
            artifact_location: file://\(root)/7/models/\(model)/artifacts
            creation_timestamp: 3100
            experiment_id: '7'
            last_updated_timestamp: 3200
            model_id: \(model)
            model_type: null
            name: model
            source_run_id: \(run)
            status: 2
            status_message: null
            """)
        try dir.write("mlruns/7/models/\(model)/params/alpha", "0.5")
        try dir.write("mlruns/7/models/\(model)/tags/flavor", "sklearn")
        try dir.write("mlruns/7/models/\(model)/metrics/rmse", "3300 0.1 0 \(run)\n3301 0.2 1 \(run) eval fc89c70b\n")
        try dir.write("mlruns/7/models/\(model)/artifacts/MLmodel", "flavors: {}\n")
        try dir.write(
            "mlruns/.trash/9/meta.yaml",
            """
            artifact_location: file://\(root)/9
            creation_time: 4000
            experiment_id: '9'
            last_update_time: 4100
            lifecycle_stage: deleted
            name: gone
            tags: {}
            workspace: default
            """)
        try dir.write(
            "mlruns/.trash/9/\(deletedRun)/meta.yaml",
            """
            artifact_uri: file://\(root)/9/\(deletedRun)/artifacts
            end_time: null
            experiment_id: '9'
            lifecycle_stage: deleted
            run_id: \(deletedRun)
            run_name: old
            start_time: 4000
            status: 4
            user_id: ana
            """)
        try dir.write(
            "mlruns/models/clf/meta.yaml",
            """
            aliases:
              champion: '1'
            creation_timestamp: 5000
            description: null
            last_updated_timestamp: 5100
            name: clf
            workspace: default
            """)
        try dir.write("mlruns/models/clf/tags/domain", "tabular")
        for (v, stage) in [(1, "None"), (2, "Production"), (3, "Deleted_Internal")] {
            try dir.write(
                "mlruns/models/clf/version-\(v)/meta.yaml",
                """
                creation_timestamp: \(5000 + v)
                current_stage: \(stage)
                description: null
                last_updated_timestamp: \(5000 + v)
                model_id: \(model)
                name: clf
                run_id: \(run)
                run_link: null
                source: \(v == 2 ? "file://\(root)/7/\(run)/artifacts/model" : "models:/\(model)")
                status: READY
                status_message: null
                user_id: null
                version: \(v)
                workspace: default
                """)
        }
        try dir.write("mlruns/models/clf/version-1/tags/validated", "yes")
        return root
    }
}
