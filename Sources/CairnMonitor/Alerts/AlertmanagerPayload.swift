import CairnCore
import CairnServingCore

/// The body of a webhook POST in the shape Alertmanager sends to its webhook receivers (version 4):
/// `status`, `receiver`, `groupLabels`, `commonLabels`, `commonAnnotations`, `externalURL`,
/// `groupKey`, `truncatedAlerts` and `alerts[]` with `status`, `labels`, `annotations`, `startsAt`,
/// `endsAt`, `generatorURL` and `fingerprint`. Labels are `alertname`, `severity`, `model`, `version`
/// and `metric`.
public enum AlertmanagerPayload {
    /// The receiver name the payload carries.
    public static let receiver = "cairn-monitor"

    /// One notification for `event`; `link` is the page of the window's run, when logged.
    public static func render(_ event: AlertEvent, link: String?, externalURL: String) -> [UInt8] {
        let labels: [(String, String)] = [
            ("alertname", event.rule.name), ("severity", event.rule.severity.rawValue), ("model", event.model),
            ("version", event.version), ("metric", event.rule.metric),
        ]
        let annotations: [(String, String)] = [
            ("summary", event.rule.summary), ("description", event.message),
            ("value", String(event.value)), ("threshold", String(event.rule.threshold)),
            ("window", String(event.window)),
        ]
        var w = JSONWriter(capacity: 1024)
        w.object { w in
            w.field("version", "4")
            w.field("groupKey", "{}:{alertname=\"\(event.rule.name)\"}")
            w.field("truncatedAlerts", Int64(0))
            w.field("status", "firing")
            w.field("receiver", receiver)
            w.key("groupLabels")
            w.object { w in w.field("alertname", event.rule.name) }
            w.key("commonLabels")
            w.object { w in for (k, v) in labels { w.field(k, v) } }
            w.key("commonAnnotations")
            w.object { w in for (k, v) in annotations { w.field(k, v) } }
            w.field("externalURL", externalURL)
            w.key("alerts")
            w.array { w in
                w.object { w in
                    w.field("status", "firing")
                    w.key("labels")
                    w.object { w in for (k, v) in labels { w.field(k, v) } }
                    w.key("annotations")
                    w.object { w in for (k, v) in annotations { w.field(k, v) } }
                    w.field("startsAt", RFC3339.format(millis: event.windowEndMillis))
                    w.field("endsAt", "0001-01-01T00:00:00Z")
                    w.field("generatorURL", link ?? externalURL)
                    w.field("fingerprint", event.fingerprint)
                }
            }
        }
        return w.bytes
    }
}
