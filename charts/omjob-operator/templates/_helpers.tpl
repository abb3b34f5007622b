{{/* The release's full name: "<release>-omjob-operator", or the release name when it already says omjob-operator. */}}
{{- define "omjob-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "omjob-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: omjob-operator
{{- end -}}

{{/* The selector of the operator's pod. */}}
{{- define "omjob-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* The ServiceAccount the operator runs as. */}}
{{- define "omjob-operator.serviceAccountName" -}}
{{- default (include "omjob-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Name of the ClusterRole holding the rules on OMJobs, pods and events. */}}
{{- define "omjob-operator.rulesRole" -}}
{{- include "omjob-operator.fullname" . -}}
{{- end -}}

{{/* Name of the ClusterRole holding read access to nodes. */}}
{{- define "omjob-operator.nodesRole" -}}
{{- printf "%s-nodes" (include "omjob-operator.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
