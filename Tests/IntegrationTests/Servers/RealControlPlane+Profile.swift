import Foundation
import Testing

extension RealControlPlane {
    /// What is installed on the server and how strictly it admits: this project's CRDs and RBAC
    /// (deploy/), or OpenMetadata's chart's (tests/openmetadata-chart, written from its facts),
    /// with or without the OwnerReferencesPermissionEnforcement admission plugin. The chart's
    /// profiles also run the operator with the chart's environment.
    struct Profile: Sendable, Hashable, CustomTestStringConvertible {
        enum Source: String, Sendable, Hashable, CaseIterable {
            /// deploy/crds or deploy/'s RBAC.
            case project
            /// OpenMetadata's chart: its CRDs prune every status field but seven; its RBAC has no
            /// nodes, no `*/finalizers`, no events.k8s.io.
            case openMetadataChart
        }

        var crds: Source
        var rbac: Source
        var ownerReferencesEnforcement: Bool

        /// What every scenario suite runs on unless it says otherwise.
        static let project = Profile(crds: .project, rbac: .project, ownerReferencesEnforcement: true)

        /// Every combination.
        static let all: [Profile] = Source.allCases.flatMap { crds in
            Source.allCases.flatMap { rbac in
                [true, false].map { Profile(crds: crds, rbac: rbac, ownerReferencesEnforcement: $0) }
            }
        }

        var testDescription: String {
            "CRDs \(crds.rawValue), RBAC \(rbac.rawValue), OwnerReferencesPermissionEnforcement \(ownerReferencesEnforcement ? "on" : "off")"
        }

        /// `kubectl apply` arguments, in order, from the repository's root.
        var installation: [[String]] {
            var steps: [[String]] = []
            switch crds {
            case .project: steps.append(["-f", "deploy/crds/"])
            case .openMetadataChart: steps.append(["-f", "tests/openmetadata-chart/crds.yaml"])
            }
            switch rbac {
            case .project: steps.append(["-k", "deploy/overlays/all-namespaces"])
            case .openMetadataChart: steps.append(["-f", "tests/openmetadata-chart/rbac.yaml"])
            }
            return steps
        }

        /// The chart's Deployment environment (its default values) for the chart's profiles.
        /// Spec fields the chart's CRD prunes (a run's own deadlines) fall back to the operator's
        /// settings, so the one scenario that needs a short start deadline gets it from here.
        var operatorSettings: [String: String] {
            var settings: [String: String] = [:]
            if rbac == .openMetadataChart {
                settings.merge([
                    "LOG_LEVEL": "INFO", "RECONCILIATION_THREADS": "5", "METRICS_PORT": "8081",
                    "POLLING_INTERVAL_SECONDS": "10", "REQUEUE_DELAY_SECONDS": "5",
                ]) { _, new in new }
            }
            if crds == .openMetadataChart { settings["OMJOB_MAIN_POD_START_DEADLINE_SECONDS"] = "20" }
            return settings
        }
    }
}
