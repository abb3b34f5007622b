"""Each control of the restricted standard fires on the pod that breaks it, and only then."""
import unittest

import pss_restricted


def compliant_pod():
    return {
        "securityContext": {"runAsNonRoot": True, "runAsUser": 65532, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{
            "name": "operator",
            "ports": [{"containerPort": 8080}],
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
        }],
        "volumes": [{"name": "run", "emptyDir": {}}],
    }


def container(pod):
    return pod["containers"][0].setdefault("securityContext", {})


# (what breaks, how, the control that must fire)
BREAKAGES = [
    ("hostProcess", lambda p: container(p).update(windowsOptions={"hostProcess": True}), "HostProcess"),
    ("hostNetwork", lambda p: p.update(hostNetwork=True), "Host Namespaces"),
    ("hostPID", lambda p: p.update(hostPID=True), "Host Namespaces"),
    ("privileged", lambda p: container(p).update(privileged=True), "Privileged Containers"),
    ("hostPath", lambda p: p["volumes"].append({"name": "h", "hostPath": {"path": "/"}}), "HostPath Volumes"),
    ("hostPort", lambda p: p["containers"][0]["ports"][0].update(hostPort=80), "Host Ports"),
    ("apparmor unconfined", lambda p: container(p).update(appArmorProfile={"type": "Unconfined"}), "AppArmor"),
    ("selinux type", lambda p: container(p).update(seLinuxOptions={"type": "spc_t"}), "SELinux"),
    ("procMount", lambda p: container(p).update(procMount="Unmasked"), "/proc Mount Type"),
    ("unsafe sysctl", lambda p: p["securityContext"].update(sysctls=[{"name": "kernel.msgmax", "value": "1"}]), "Sysctls"),
    ("nfs volume", lambda p: p["volumes"].append({"name": "n", "nfs": {"server": "x", "path": "/"}}), "Volume Types"),
    ("escalation unset", lambda p: container(p).pop("allowPrivilegeEscalation"), "Privilege Escalation"),
    ("root allowed", lambda p: p["securityContext"].pop("runAsNonRoot"), "Running as Non-root"),
    ("uid 0", lambda p: container(p).update(runAsUser=0), "Running as Non-root user"),
    ("no seccomp", lambda p: p["securityContext"].pop("seccompProfile"), "Seccomp"),
    ("seccomp unconfined", lambda p: container(p).update(seccompProfile={"type": "Unconfined"}), "Seccomp"),
    ("caps kept", lambda p: container(p).update(capabilities={"drop": ["NET_RAW"]}), "Capabilities"),
    ("cap added", lambda p: container(p)["capabilities"].update(add=["SYS_ADMIN"]), "Capabilities"),
    ("init container", lambda p: p.update(initContainers=[{"name": "init"}]), "Privilege Escalation"),
]


class RestrictedStandardTests(unittest.TestCase):
    def test_compliant_pod_passes(self):
        self.assertEqual(pss_restricted.violations(compliant_pod()), [])

    def test_each_breakage_fires_its_control(self):
        for what, breaks, rule in BREAKAGES:
            with self.subTest(what):
                pod = compliant_pod()
                breaks(pod)
                self.assertIn(rule, [r for r, _ in pss_restricted.violations(pod)])

    def test_apparmor_annotation(self):
        found = pss_restricted.violations(compliant_pod(), {"container.apparmor.security.beta.kubernetes.io/operator": "unconfined"})
        self.assertEqual([r for r, _ in found], ["AppArmor"])

    def test_every_control_has_a_breakage(self):
        self.assertEqual(set(pss_restricted.RULES), {rule for _, _, rule in BREAKAGES})

    def test_pod_templates_of_workloads(self):
        deployment = {"kind": "Deployment", "spec": {"template": {"spec": compliant_pod()}}}
        cronjob = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": compliant_pod()}}}}}
        for obj in (deployment, cronjob):
            self.assertEqual(len(list(pss_restricted.pod_templates(obj))), 1)
        self.assertEqual(list(pss_restricted.pod_templates({"kind": "Service", "spec": {}})), [])


if __name__ == "__main__":
    unittest.main()
