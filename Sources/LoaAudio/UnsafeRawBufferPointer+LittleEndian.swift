extension UnsafeRawBufferPointer {
    /// Reads a little-endian integer at any (possibly unaligned) byte offset.
    func loadLE<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
