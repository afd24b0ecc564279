import CairnCore

/// MLflow's rules for experiments and runs, checked by every backend before it writes.
///
/// The rules take what the backend read inside its transaction and either return the decision or
/// throw the reference error, so no backend restates a message or a condition.
///
/// ```swift
/// try StoreRules.requireActive(run: uuid, stage: stage)          // "must be in the 'active' state"
/// let name = try StoreRules.runName(given: new.runName, tags: new.tags)
/// ```
public enum StoreRules {
    /// The run tag that mirrors the run name.
    public static let runNameTag = "mlflow.runName"

    /// Writes to a run need it active.
    public static func requireActive(run id: String, stage: LifecycleStage) throws(MlflowError) {
        guard stage == .active else {
            throw .invalid("The run \(id) must be in the 'active' state. Current state is \(stage.rawValue).")
        }
    }

    /// Writes into an experiment need it active.
    public static func requireActive(experiment id: String, stage: LifecycleStage) throws(MlflowError) {
        guard stage == .active else {
            throw .invalid("The experiment \(id) must be in the 'active' state. Current state is \(stage.rawValue).")
        }
    }

    /// A new run's name: the argument, else the `mlflow.runName` tag, else a generated name; both
    /// given and different is an error.
    public static func runName(given: String?, tags: [KeyValue]) throws(MlflowError) -> String {
        let tagName = tags.last { $0.key == runNameTag }?.value
        if let given, !given.isEmpty, let tagName, tagName != given {
            throw .invalid(
                "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                    + "(run_name='\(given)', mlflow.runName='\(tagName)').")
        }
        return given.flatMap { $0.isEmpty ? nil : $0 } ?? tagName ?? NameGenerator.randomName()
    }

    /// The tags a new run is stored with: the given ones and the name tag.
    public static func initialTags(_ tags: [KeyValue], name: String) -> [KeyValue] {
        var out = tags.filter { $0.key != runNameTag }
        out.append(KeyValue(runNameTag, name))
        return out
    }

    /// A param, once logged, keeps its value; logging the same value again is a no-op.
    /// Returns whether the param still needs storing.
    public static func paramNeedsInsert(_ param: KeyValue, existing: String?, runId: String) throws(MlflowError)
        -> Bool
    {
        guard let existing else { return true }
        if existing != param.value {
            throw .invalid(
                "Changing param values is not allowed. Param with key='\(param.key)' was already logged "
                    + "with value='\(existing)' for run ID='\(runId)'. Attempted logging new value '\(param.value)'.")
        }
        return false
    }

    /// The latest point per key of a batch: the one with the highest (step, timestamp, value).
    public static func latestPerKey(_ metrics: [Metric]) -> [String: Metric] {
        var latest: [String: Metric] = [:]
        for m in metrics {
            if let current = latest[m.key], !m.isLater(than: current) { continue }
            latest[m.key] = m
        }
        return latest
    }

    /// Restoring a run of a deleted experiment is refused.
    public static func checkRestore(run id: String, experiment: String, experimentStage: LifecycleStage)
        throws(MlflowError)
    {
        if experimentStage == .deleted {
            throw .invalid(
                "Cannot restore run \(id): its experiment \(experiment) is deleted. Restore the experiment first.")
        }
    }

    /// The default experiment cannot be deleted and an active one cannot be restored.
    public static func checkLifecycle(experiment key: Int64, from current: LifecycleStage, to stage: LifecycleStage)
        throws(MlflowError)
    {
        if stage == .deleted && key == 0 {
            throw .invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.")
        }
        if stage == .active && current == .active {
            throw .invalid("Cannot restore an active experiment.")
        }
    }

    /// An experiment id as stored: a non-negative integer.
    public static func experimentKey(_ id: String) throws(MlflowError) -> Int64 {
        guard let key = Int64(id) else {
            throw .invalid("Invalid experiment ID '\(id)'. Experiment ID must be a valid integer.")
        }
        guard key >= 0 else { throw .noExperiment(id) }
        return key
    }

    /// The error for a second experiment of one name.
    public static func experimentExists(_ name: String) -> MlflowError {
        MlflowError(.resourceAlreadyExists, "Experiment '\(name)' already exists.")
    }
}
