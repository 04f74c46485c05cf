import Hummingbird

extension ControllerRouter {
    /// `GET /api/openapi.yaml`: the OpenAPI 3.1 description of every route, public
    /// (it holds no secret). The file is `OpenAPI/openapi.yaml`, compiled into the binary.
    static func addOpenAPIRoutes(to router: Router<ControllerRequestContext>) {
        router.get("/api/openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
    }

    /// The OpenAPI document's text.
    public static var openAPIDocument: String { String(decoding: PackageResources.openapi_yaml, as: UTF8.self) }
}
