import LoaMQTT

/// The broker clients of the communes a process serves, closed together when it stops.
actor BrokerLinks {
    private var links: [MQTTClient] = []

    func add(_ link: MQTTClient) { links.append(link) }

    func closeAll() async {
        for link in links { await link.close() }
        links.removeAll()
    }
}
