{{/*
The one Deployment template every service uses: (dict "root" $ "name" "sync-core" "svc" <merged values>).
*/}}
{{- define "gcal-sync.deployment" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $svc := .svc -}}
{{- $component := include "gcal-sync.componentName" (list $root $name) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $component }}
  labels:
    {{- include "gcal-sync.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ $name }}
spec:
  replicas: {{ $svc.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "gcal-sync.selectorLabels" (list $root $name) | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels:
        {{- include "gcal-sync.labels" $root | nindent 8 }}
        app.kubernetes.io/component: {{ $name }}
      annotations:
        checksum/config: {{ include "gcal-sync.configData" (list $root $name $svc) | sha256sum }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $svc.port | quote }}
        prometheus.io/path: /metrics
        {{- end }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ $component }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "gcal-sync.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $svc.topologySpread }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "gcal-sync.selectorLabels" (list $root $name) | nindent 14 }}
      {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ include "gcal-sync.image" (list $root $name) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $component }}
          env:
            # Unique per replica (consumer-group member, lease owner).
            - name: INSTANCE_ID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            {{- include "gcal-sync.databaseEnv" $root | nindent 12 }}
            {{- range $var, $ref := $svc.secretEnv }}
            - name: {{ $var }}
              valueFrom:
                {{- include "gcal-sync.secretKeyRef" (list $root $ref) | nindent 16 }}
            {{- end }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $svc.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            {{- toYaml $svc.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            {{- toYaml $svc.probes.readiness | nindent 12 }}
          {{- if gt (int $svc.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ $svc.preStopSleepSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          securityContext:
            {{- include "gcal-sync.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        # The root filesystem is read-only; node may still want a scratch directory.
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}

{{/* Non-secret env of one service: (list $ name svc). Values are templates (tpl). */}}
{{- define "gcal-sync.configData" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $svc := index . 2 -}}
PORT: {{ $svc.port | quote }}
LOG_LEVEL: {{ $root.Values.logLevel | quote }}
KAFKA_BROKERS: {{ join "," $root.Values.kafka.brokers | quote }}
KAFKA_TOPIC_PREFIX: {{ $root.Values.kafka.topicPrefix | quote }}
{{- /* Topics are the hook Job's (kafka.topics.create) or the operator's, with the cluster's
partitions and replication: services never create them with their dev defaults. */}}
KAFKA_ENSURE_TOPICS: "false"
{{- with $root.Values.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- if lt (float64 $root.Values.otel.sampleRatio) 1.0 }}
OTEL_TRACES_SAMPLER: "parentbased_traceidratio"
OTEL_TRACES_SAMPLER_ARG: {{ $root.Values.otel.sampleRatio | toString | quote }}
{{- end }}
GOOGLE_API_ROOT_URL: {{ $root.Values.google.apiRootUrl | quote }}
GOOGLE_OAUTH_AUTH_URL: {{ $root.Values.google.oauthAuthUrl | quote }}
GOOGLE_OAUTH_TOKEN_URL: {{ $root.Values.google.oauthTokenUrl | quote }}
GOOGLE_OAUTH_REVOKE_URL: {{ $root.Values.google.oauthRevokeUrl | quote }}
GOOGLE_USERINFO_URL: {{ $root.Values.google.userinfoUrl | quote }}
{{- range $var, $value := $svc.env }}
{{ $var }}: {{ tpl (toString $value) $root | quote }}
{{- end }}
{{- end -}}
