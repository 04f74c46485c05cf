import Hummingbird

extension ControllerRouter {
    /// `GET /metrics`: Prometheus' text format, for an operator's or admin's bearer
    /// token (Prometheus' `authorization: {credentials_file: …}`); see docs/api.md.
    static func addMetricsRoutes(to metrics: RouterGroup<ControllerRequestContext>, controller: Controller) {
        metrics.get("", needs: .readMetrics) { _, _, _ -> Response in
            text(try await MetricsExposition.text(of: controller), contentType: PrometheusText.contentType)
        }
    }
}
