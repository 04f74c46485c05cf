import Foundation
import NIOCore
import PostgresNIO

/// Many rows bound as one array per column, read back as rows by
/// `unnest($1::text[], $2::int8[], …)`: a batch costs one round trip, and the
/// statement's text depends on its columns alone, not on how many rows it has.
///
/// A `VALUES ($1, $2), ($3, $4), …` list of a thousand events was a new statement of
/// 18,000 parameters for PostgreSQL to parse, analyse and plan each time, and for the
/// client to write out and bind value by value. Arrays also have no parameter limit
/// (PostgreSQL allows 65,535 per statement), so no batch is split for it.
struct ColumnArrays {
    /// A column's type: its element type for the arrays, its name for the casts.
    struct ColumnType {
        let element: PostgresDataType
        let array: PostgresDataType
        let sqlName: String

        static let text = ColumnType(element: .text, array: .textArray, sqlName: "text")
        static let int8 = ColumnType(element: .int8, array: .int8Array, sqlName: "int8")
        static let float8 = ColumnType(element: .float8, array: .float8Array, sqlName: "float8")
        static let bool = ColumnType(element: .bool, array: .boolArray, sqlName: "bool")
        static let bytea = ColumnType(element: .bytea, array: .byteaArray, sqlName: "bytea")
        static let timestamptz = ColumnType(element: .timestamptz, array: .timestamptzArray, sqlName: "timestamptz")
    }

    let types: [ColumnType]
    /// Each column's elements so far, in PostgreSQL's binary array form (length, bytes; -1 for a null).
    private var elements: [ByteBuffer]
    private var nulls: [Bool]
    /// Rows added.
    private(set) var count = 0
    /// Values bound in the row being added.
    private var bound = 0

    init(_ types: [ColumnType]) {
        self.types = types
        elements = types.map { _ in ByteBuffer() }
        nulls = types.map { _ in false }
    }

    /// Adds one row: `fill` must bind exactly one value for each column, in order.
    mutating func row(_ fill: (inout ColumnArrays) throws -> Void) rethrows {
        bound = 0
        try fill(&self)
        precondition(bound == types.count, "a row binds exactly \(types.count) values")
        count += 1
    }

    /// Binds the next column's value of the row being added.
    mutating func append<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws {
        let column = bound
        precondition(column < types.count, "a row binds exactly \(types.count) values")
        precondition(value.psqlType == types[column].element, "column \(column + 1) holds \(types[column].sqlName)")
        let lengthAt = elements[column].writerIndex
        elements[column].writeInteger(Int32(0))
        let start = elements[column].writerIndex
        try value.encode(into: &elements[column], context: .default)
        elements[column].setInteger(Int32(elements[column].writerIndex - start), at: lengthAt)
        bound += 1
    }

    /// Binds the next column's value, or a null.
    mutating func append<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?) throws {
        guard let value else {
            precondition(bound < types.count, "a row binds exactly \(types.count) values")
            elements[bound].writeInteger(Int32(-1))
            nulls[bound] = true
            bound += 1
            return
        }
        try append(value)
    }

    /// Appends one array parameter per column to `binds` and returns
    /// `unnest($k::text[], …)` naming them.
    func unnest(binding binds: inout PostgresBindings) -> String {
        var parameters: [String] = []
        for (column, type) in types.enumerated() {
            binds.append(ColumnArray(type: type, count: count, hasNull: nulls[column], elements: elements[column]))
            parameters.append("$\(binds.count)::\(type.sqlName)[]")
        }
        return "unnest(" + parameters.joined(separator: ", ") + ")"
    }
}

/// One column's values as a one-dimensional PostgreSQL array, in the binary form
/// (`array_recv`): dimensions, null flag, element type, length and lower bound, elements.
private struct ColumnArray: PostgresDynamicTypeEncodable {
    let type: ColumnArrays.ColumnType
    let count: Int
    let hasNull: Bool
    let elements: ByteBuffer

    var psqlType: PostgresDataType { type.array }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Int32(count == 0 ? 0 : 1))
        buffer.writeInteger(Int32(hasNull ? 1 : 0))
        buffer.writeInteger(type.element.rawValue)
        guard count > 0 else { return }
        buffer.writeInteger(Int32(count))
        buffer.writeInteger(Int32(1))
        var elements = elements
        buffer.writeBuffer(&elements)
    }
}
