import Foundation
import KubeAPI
import KubeJSON
import Models

extension KubeClient {
    /// Writes an OMJob's status: the record's annotations first when the patch carries them, then
    /// the status under the version that write returned. Both rest on the patch's resourceVersion
    /// (`409 Conflict` when the OMJob changed since it was read), and a status that a CRD prunes
    /// can never lose what the operator must remember (`RunRecord`).
    public func patchOMJobStatus(_ patch: PatchOMJobStatus, namespace: String, name: String) async throws(KubeError) {
        var patch = patch
        if let recordBody = patch.recordPatchBody() {
            let written = try await self.patch(
                WrittenVersion.self, resource: OMJob.resourceType, namespace: namespace, name: name,
                patch: recordBody)
            if let version = written.resourceVersion { patch.resourceVersion = version }
        }
        _ = try await self.patch(
            Unread.self, resource: OMJob.resourceType, namespace: namespace, name: name, patch: patch.mergePatchBody(),
            subresource: "status")
    }
}
