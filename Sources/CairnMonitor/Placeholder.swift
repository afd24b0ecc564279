import CairnDrift

/// Placeholder.
public enum MonitorPlaceholder {}
