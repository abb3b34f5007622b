import KubeJSON
import Testing

@testable import KubeSim

/// `kubectl get pods` STATUS for the endings fixtures, as kubectl shows them on a real cluster.
@Suite struct PodStatusColumnTests {
    @Test(arguments: [
        ("unschedulable", "Pending"), ("err-image-pull", "ErrImagePull"), ("image-pull-backoff", "ImagePullBackOff"),
        ("create-container-config-error", "CreateContainerConfigError"), ("running", "Running"),
        ("completed", "Completed"),
        ("error", "Error"), ("oomkilled", "OOMKilled"), ("deadline-exceeded", "Error"),
        ("graceful-deletion", "Terminating"),
        ("node-lost", "Terminating"),
    ])
    func statusColumn(_ fixture: String, _ shown: String) throws {
        let pod = try #require(try FixtureMatch.load(fixture)["pod"])
        #expect(PodStatusColumn.text(pod) == shown)
    }
}
