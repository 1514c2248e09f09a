{{/* Names and labels shared by every template. */}}

{{- define "gcal-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "gcal-sync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "gcal-sync.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "gcal-sync.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: gcal-sync
{{- end -}}

{{/* Selector labels of one service's pods: (list $ "sync-core"). */}}
{{- define "gcal-sync.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "gcal-sync.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Object name of one service's resources: (list $ "sync-core"). */}}
{{- define "gcal-sync.componentName" -}}
{{- printf "%s-%s" (include "gcal-sync.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* In-cluster base URL of a service's HTTP API: (list $ "oauth"). */}}
{{- define "gcal-sync.serviceUrl" -}}
{{- $root := index . 0 -}}
{{- printf "http://%s.%s.svc:%v" (include "gcal-sync.componentName" .) $root.Release.Namespace $root.Values.serviceDefaults.port -}}
{{- end -}}

{{/* Public https origin (ingress host). */}}
{{- define "gcal-sync.publicOrigin" -}}
{{- printf "https://%s" .Values.ingress.host -}}
{{- end -}}

{{/* Image of one service: (list $ "sync-core"). */}}
{{- define "gcal-sync.image" -}}
{{- $root := index . 0 -}}
{{- $img := $root.Values.image -}}
{{- $repo := printf "%s/%s" (trimSuffix "/" $img.repositoryPrefix) (index . 1) -}}
{{- if $img.registry -}}{{- $repo = printf "%s/%s" $img.registry $repo -}}{{- end -}}
{{- if $img.digests -}}{{- with index $img.digests (index . 1) -}}{{- $repo = printf "%s@%s" $repo . -}}{{- end -}}{{- end -}}
{{- if not (contains "@" $repo) -}}{{- $repo = printf "%s:%s" $repo (default $root.Chart.AppVersion $img.tag) -}}{{- end -}}
{{- $repo -}}
{{- end -}}

{{/* One service's values merged over serviceDefaults: (list $ "sync-core"). Returns YAML. */}}
{{- define "gcal-sync.serviceValues" -}}
{{- $root := index . 0 -}}
{{- $own := index $root.Values.services (index . 1) -}}
{{- toYaml (mergeOverwrite (deepCopy $root.Values.serviceDefaults) (deepCopy $own)) -}}
{{- end -}}

{{/* A secretKeyRef from a logical secret name in .Values.secrets: (list $ $ref). */}}
{{- define "gcal-sync.secretKeyRef" -}}
{{- $root := index . 0 -}}
{{- $ref := index . 1 -}}
{{- $name := index $root.Values.secrets $ref.secret -}}
{{- if not $name -}}{{- fail (printf "secrets.%s is not set: name the existing Secret holding key %s" $ref.secret $ref.key) -}}{{- end -}}
secretKeyRef:
  name: {{ $name }}
  key: {{ $ref.key }}
  {{- if $ref.optional }}
  optional: true
  {{- end }}
{{- end -}}

{{/* Pod-level security: non-root, no privilege escalation, RuntimeDefault seccomp. */}}
{{- define "gcal-sync.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "gcal-sync.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Env every container that talks to Postgres needs. */}}
{{- define "gcal-sync.databaseEnv" -}}
- name: DATABASE_URL
  valueFrom:
    {{- include "gcal-sync.secretKeyRef" (list . (dict "secret" "postgres" "key" .Values.postgres.urlKey)) | nindent 4 }}
{{- end -}}
