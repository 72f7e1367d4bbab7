{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "taskstream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; the release name alone when it already contains the chart name. */}}
{{- define "taskstream.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "taskstream.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "taskstream.labels" -}}
helm.sh/chart: {{ include "taskstream.chart" . }}
{{ include "taskstream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: taskstream
{{- end }}

{{- define "taskstream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "taskstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one role: call with (dict "root" $ "role" "api"). */}}
{{- define "taskstream.roleLabels" -}}
{{ include "taskstream.labels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "taskstream.roleSelectorLabels" -}}
{{ include "taskstream.selectorLabels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "taskstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "taskstream.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "taskstream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "taskstream.configMapName" -}}
{{- printf "%s-config" (include "taskstream.fullname" .) }}
{{- end }}

{{/* The Kubernetes Secret the apps read (kept out of values: created by you or by the External Secrets Operator). */}}
{{- define "taskstream.secretName" -}}
{{- required "secrets.existingSecret: name the Secret that holds DATABASE_URL and AUTH_SECRET" .Values.secrets.existingSecret }}
{{- end }}

{{/* The Secret (key `token`) with Dapr's app token: every role with a sidecar needs it. */}}
{{- define "taskstream.appTokenSecret" -}}
{{- required "dapr.appTokenSecret: name the Secret (key token) with the Dapr app token; roles under Dapr do not start without it" .Values.dapr.appTokenSecret }}
{{- end }}

{{/* Dapr Configuration names: one for the api (its access control admits recurrence), one for the others. */}}
{{- define "taskstream.daprConfigName" -}}
{{- if eq .role "api" }}{{ printf "%s-api" (include "taskstream.fullname" .root) }}{{ else }}{{ include "taskstream.fullname" .root }}{{ end }}
{{- end }}

{{/* Pub/sub component a role uses: realtime has its own, so every replica gets every event. */}}
{{- define "taskstream.pubsubName" -}}
{{- if eq .role "realtime" }}{{ .root.Values.dapr.pubsub.realtimeName }}{{ else }}{{ .root.Values.dapr.pubsub.name }}{{ end }}
{{- end }}

{{/*
The secret env vars of one role: only the keys listed in roles.<role>.secrets (required ones fail
the pod when missing; optional ones may be absent). Call with (dict "root" $ "role" <name>).
*/}}
{{- define "taskstream.secretEnv" -}}
{{- $root := .root }}
{{- $secret := include "taskstream.secretName" $root }}
{{- $keys := (index $root.Values.roles .role).secrets | default list }}
{{- $known := concat $root.Values.secrets.required $root.Values.secrets.optional }}
{{- range $keys }}
{{- if not (has . $known) }}{{ fail (printf "roles.%s.secrets: %s is neither in secrets.required nor in secrets.optional" $.role .) }}{{ end }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ . }}
      {{- if not (has . $root.Values.secrets.required) }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}

{{- define "taskstream.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "taskstream.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* Roles in a stable order, only the enabled ones. */}}
{{- define "taskstream.enabledRoles" -}}
{{- $out := list }}
{{- range $name := list "api" "notifications" "recurrence" "audit" "realtime" "embedded" }}
{{- $role := index $.Values.roles $name }}
{{- if and $role $role.enabled }}{{ $out = append $out $name }}{{ end }}
{{- end }}
{{- join "," $out }}
{{- end }}

{{/* The Service the ingress sends "/" to: the api, or the embedded process when it runs alone. */}}
{{- define "taskstream.webBackend" -}}
{{- if .Values.roles.api.enabled }}api{{ else if .Values.roles.embedded.enabled }}embedded{{ else }}{{ fail "ingress needs roles.api or roles.embedded enabled" }}{{ end }}
{{- end }}
