"""The Kubernetes "restricted" Pod Security Standard (policy version 1.32), rule by rule.

Why by hand: no offline Python tool checks rendered manifests against the Pod Security
Standards (the real check lives in the API server's PodSecurity admission plugin, in Go).
Each rule below is one control of https://kubernetes.io/docs/concepts/security/pod-security-standards/
under its name there; `violations(pod_spec, annotations)` returns (rule, detail) pairs, so a
failure names the control it breaks.
"""

# Baseline: sysctls that are namespaced and isolated (the "safe" set).
SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
# Restricted: the only volume sources allowed.
ALLOWED_VOLUME_TYPES = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret",
}
ALLOWED_SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
ALLOWED_APPARMOR_TYPES = {"RuntimeDefault", "Localhost"}
ALLOWED_SECCOMP_TYPES = {"RuntimeDefault", "Localhost"}


def containers(pod):
    """Every container the standard covers: regular, init and ephemeral."""
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in pod.get(key) or []:
            yield container


def host_process(pod, _):
    if ((pod.get("securityContext") or {}).get("windowsOptions") or {}).get("hostProcess"):
        yield "pod sets windowsOptions.hostProcess"
    for c in containers(pod):
        if ((c.get("securityContext") or {}).get("windowsOptions") or {}).get("hostProcess"):
            yield f"container {c['name']} sets windowsOptions.hostProcess"


def host_namespaces(pod, _):
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(field):
            yield f"pod sets {field}"


def privileged_containers(pod, _):
    for c in containers(pod):
        if (c.get("securityContext") or {}).get("privileged"):
            yield f"container {c['name']} is privileged"


def host_path_volumes(pod, _):
    for v in pod.get("volumes") or []:
        if "hostPath" in v:
            yield f"volume {v['name']} is a hostPath"


def host_ports(pod, _):
    for c in containers(pod):
        for p in c.get("ports") or []:
            if p.get("hostPort"):
                yield f"container {c['name']} uses hostPort {p['hostPort']}"


def app_armor(pod, annotations):
    profiles = [("pod", (pod.get("securityContext") or {}).get("appArmorProfile"))]
    profiles += [(f"container {c['name']}", (c.get("securityContext") or {}).get("appArmorProfile"))
                 for c in containers(pod)]
    for who, profile in profiles:
        if profile and profile.get("type") not in ALLOWED_APPARMOR_TYPES:
            yield f"{who} sets appArmorProfile.type {profile.get('type')}"
    for key, value in (annotations or {}).items():
        if key.startswith("container.apparmor.security.beta.kubernetes.io/"):
            if value != "runtime/default" and not value.startswith("localhost/"):
                yield f"annotation {key}={value}"


def se_linux(pod, _):
    options = [("pod", (pod.get("securityContext") or {}).get("seLinuxOptions"))]
    options += [(f"container {c['name']}", (c.get("securityContext") or {}).get("seLinuxOptions"))
                for c in containers(pod)]
    for who, opts in options:
        if not opts:
            continue
        if opts.get("type", "") not in ALLOWED_SELINUX_TYPES:
            yield f"{who} sets seLinuxOptions.type {opts['type']}"
        for field in ("user", "role"):
            if opts.get(field):
                yield f"{who} sets seLinuxOptions.{field}"


def proc_mount(pod, _):
    for c in containers(pod):
        if (c.get("securityContext") or {}).get("procMount", "Default") != "Default":
            yield f"container {c['name']} sets procMount"


def sysctls(pod, _):
    for s in (pod.get("securityContext") or {}).get("sysctls") or []:
        if s.get("name") not in SAFE_SYSCTLS:
            yield f"pod sets unsafe sysctl {s.get('name')}"


def volume_types(pod, _):
    for v in pod.get("volumes") or []:
        kinds = set(v) - {"name"}
        if not kinds <= ALLOWED_VOLUME_TYPES:
            yield f"volume {v['name']} has type {', '.join(sorted(kinds - ALLOWED_VOLUME_TYPES))}"


def privilege_escalation(pod, _):
    for c in containers(pod):
        if (c.get("securityContext") or {}).get("allowPrivilegeEscalation") is not False:
            yield f"container {c['name']} does not set allowPrivilegeEscalation: false"


def running_as_non_root(pod, _):
    pod_level = (pod.get("securityContext") or {}).get("runAsNonRoot")
    if pod_level is False:
        yield "pod sets runAsNonRoot: false"
    for c in containers(pod):
        own = (c.get("securityContext") or {}).get("runAsNonRoot")
        if own is False or (own is None and pod_level is not True):
            yield f"container {c['name']} may run as root (runAsNonRoot not true)"


def running_as_non_root_user(pod, _):
    if (pod.get("securityContext") or {}).get("runAsUser") == 0:
        yield "pod sets runAsUser: 0"
    for c in containers(pod):
        if (c.get("securityContext") or {}).get("runAsUser") == 0:
            yield f"container {c['name']} sets runAsUser: 0"


def seccomp(pod, _):
    pod_type = ((pod.get("securityContext") or {}).get("seccompProfile") or {}).get("type")
    if pod_type is not None and pod_type not in ALLOWED_SECCOMP_TYPES:
        yield f"pod sets seccompProfile.type {pod_type}"
    for c in containers(pod):
        own = ((c.get("securityContext") or {}).get("seccompProfile") or {}).get("type")
        if own is not None and own not in ALLOWED_SECCOMP_TYPES:
            yield f"container {c['name']} sets seccompProfile.type {own}"
        elif own is None and pod_type is None:
            yield f"container {c['name']} has no seccompProfile (pod sets none either)"


def capabilities(pod, _):
    for c in containers(pod):
        caps = (c.get("securityContext") or {}).get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            yield f"container {c['name']} does not drop ALL capabilities"
        extra = set(caps.get("add") or []) - {"NET_BIND_SERVICE"}
        if extra:
            yield f"container {c['name']} adds capabilities {', '.join(sorted(extra))}"


# Control name (as the standard names it) -> check.
RULES = {
    "HostProcess": host_process,
    "Host Namespaces": host_namespaces,
    "Privileged Containers": privileged_containers,
    "HostPath Volumes": host_path_volumes,
    "Host Ports": host_ports,
    "AppArmor": app_armor,
    "SELinux": se_linux,
    "/proc Mount Type": proc_mount,
    "Sysctls": sysctls,
    "Volume Types": volume_types,
    "Privilege Escalation": privilege_escalation,
    "Running as Non-root": running_as_non_root,
    "Running as Non-root user": running_as_non_root_user,
    "Seccomp": seccomp,
    "Capabilities": capabilities,
}


def violations(pod_spec, annotations=None):
    """(rule, detail) for every control of the restricted standard the pod spec breaks."""
    return [(rule, detail) for rule, check in RULES.items() for detail in check(pod_spec, annotations)]


def pod_templates(obj):
    """(spec, annotations) of every pod a workload object would create."""
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        yield spec, (obj.get("metadata") or {}).get("annotations")
    elif kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"):
        template = spec.get("template") or {}
        yield template.get("spec") or {}, (template.get("metadata") or {}).get("annotations")
    elif kind == "CronJob":
        template = ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}
        yield template.get("spec") or {}, (template.get("metadata") or {}).get("annotations")
