import Glibc

/// The system's name databases read as glibc's "files" backend reads them: /etc/hosts,
/// /etc/services and /etc/protocols. PHP's gethostbyname and its kin go through NSS, which may
/// ask DNS, LDAP or a daemon; sockshell reads the files itself, so no lookup leaves the machine.
///
/// The lookups work on the files' text, so a test hands them text of its own. Names and files
/// are bytes: a line with bytes that are not UTF-8 still matches what glibc would match.
public enum NameDatabase {
  /// Where the three files are; a test points a session at files of its own.
  public struct Files: Sendable, Equatable {
    public var hosts: String
    public var services: String
    public var protocols: String

    public init(
      hosts: String = "/etc/hosts", services: String = "/etc/services", protocols: String = "/etc/protocols"
    ) {
      self.hosts = hosts
      self.services = services
      self.protocols = protocols
    }

    public static let system = Files()
  }

  /// The most of a database file that is read: /etc/services is about 13 KiB, nmap's list a
  /// few hundred; anything far beyond is not a name database.
  public static let sizeLimit = 1 << 20

  /// Why a database file could not be read, in words for a warning.
  public enum ReadFailure: Error, Equatable {
    case missing
    case unreadable(String)
  }

  /// A database file, read whole: a regular file of at most `sizeLimit` bytes, opened without
  /// blocking (a FIFO with no writer would hang the open) and checked with fstat before a byte
  /// is read, as `source` reads scripts.
  public static func read(_ path: String) -> Result<[UInt8], ReadFailure> {
    switch FileSystem.readScript(path, limit: sizeLimit) {
    case .success(let bytes): return .success(bytes)
    case .failure(.failed(let errno)) where errno.number == ENOENT: return .failure(.missing)
    case .failure(.failed(let errno)): return .failure(.unreadable("cannot be read: \(errno.message)"))
    case .failure(.notRegular(let kind)): return .failure(.unreadable("is \(kind), not a regular file"))
    case .failure(.tooLarge(let size)):
      return .failure(.unreadable("has \(size) bytes, more than the \(sizeLimit) read of a name database"))
    case .failure(.interrupted): return .failure(.unreadable("was being read when a signal came"))
    }
  }

  // MARK: - /etc/hosts

  /// The IPv4 address of the first line of a hosts file that names `name` (case-insensitively,
  /// as glibc compares host names), as a dotted quad. Lines whose address is not IPv4 (`::1`)
  /// are skipped: gethostbyname asks for AF_INET only.
  public static func hostAddress(of name: [UInt8], inHosts text: [UInt8]) -> String? {
    var found: String?
    forEachRecord(text) { fields in
      guard fields.count >= 2, let address = strictIPv4(fields[0]) else { return false }
      for alias in fields.dropFirst() where equalIgnoringASCIICase(alias, name[...]) {
        found = dottedQuad(address)
        return true
      }
      return false
    }
    return found
  }

  /// inet_aton's reading of a name made only of digits and dots, as glibc applies it before any
  /// lookup: `127.1` is 127.0.0.1, `0127.0.0.1` is octal, `4294967295` is 255.255.255.255. Nil
  /// when the name is not that shape or not a valid address (`256.1.1.1`, `08.1.1.1`).
  public static func numericIPv4(_ name: [UInt8]) -> UInt32? {
    // glibc takes this path only for a name that starts with a digit, holds nothing but digits
    // and dots, and does not end with a dot.
    guard let first = name.first, isDigit(first), name.last != UInt8(ascii: "."),
      name.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") })
    else { return nil }
    let parts = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count <= 4 else { return nil }
    var values: [UInt32] = []
    for part in parts {
      guard !part.isEmpty else { return nil }
      let octal = part.count > 1 && part.first == UInt8(ascii: "0")
      let base: UInt32 = octal ? 8 : 10
      var value: UInt32 = 0
      for digit in part {
        let number = UInt32(digit - UInt8(ascii: "0"))
        guard number < base else { return nil }
        let (shifted, overflowA) = value.multipliedReportingOverflow(by: base)
        let (sum, overflowB) = shifted.addingReportingOverflow(number)
        guard !overflowA && !overflowB else { return nil }
        value = sum
      }
      values.append(value)
    }
    // a, a.b (b is 24 bits), a.b.c (c is 16 bits), a.b.c.d: the last part fills what is left.
    let leading = values.dropLast()
    guard leading.allSatisfy({ $0 <= 0xff }), let last = values.last else { return nil }
    let lastBits = 32 - 8 * leading.count
    guard lastBits == 32 || last < (UInt32(1) << lastBits) else { return nil }
    var address: UInt32 = last
    for (position, byte) in leading.enumerated() { address |= byte << (24 - 8 * position) }
    return address
  }

  /// inet_pton's strict dotted quad, as glibc reads the address column of /etc/hosts: four
  /// decimal parts of 0 to 255, no leading zeros.
  static func strictIPv4(_ text: ArraySlice<UInt8>) -> UInt32? {
    let parts = text.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var address: UInt32 = 0
    for part in parts {
      guard (1...3).contains(part.count), part.allSatisfy(isDigit),
        part.count == 1 || part.first != UInt8(ascii: "0")
      else { return nil }
      let value = part.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
      guard value <= 255 else { return nil }
      address = address << 8 | value
    }
    return address
  }

  public static func dottedQuad(_ address: UInt32) -> String {
    "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
  }

  // MARK: - /etc/services

  /// The port of the first line of a services file whose name or an alias is `name` and whose
  /// protocol is `protocolName`; both compared exactly, as glibc does.
  public static func servicePort(_ name: [UInt8], protocol protocolName: [UInt8], inServices text: [UInt8])
    -> Int?
  {
    var found: Int?
    forEachService(text) { service in
      guard service.protocolName.elementsEqual(protocolName),
        service.names.contains(where: { $0.elementsEqual(name) })
      else { return false }
      found = Int(service.port)
      return true
    }
    return found
  }

  /// The name of the first service on `port` over `protocolName`.
  public static func serviceName(port: UInt16, protocol protocolName: [UInt8], inServices text: [UInt8])
    -> [UInt8]?
  {
    var found: [UInt8]?
    forEachService(text) { service in
      guard service.port == port, service.protocolName.elementsEqual(protocolName) else { return false }
      found = Array(service.names[0])
      return true
    }
    return found
  }

  /// One line of a services file: `http 80/tcp www # WorldWideWeb HTTP`.
  private struct Service {
    var names: [ArraySlice<UInt8>]
    var port: UInt16
    var protocolName: ArraySlice<UInt8>
  }

  private static func forEachService(_ text: [UInt8], _ body: (Service) -> Bool) {
    forEachRecord(text) { fields in
      guard fields.count >= 2, let slash = fields[1].firstIndex(of: UInt8(ascii: "/")) else { return false }
      let portText = fields[1][..<slash]
      let protocolName = fields[1][(slash + 1)...]
      // A port beyond 16 bits, or none, makes a broken line, which a lookup passes over.
      guard let port = decimal(portText, maximum: 65535), !protocolName.isEmpty else { return false }
      var names = [fields[0]]
      names += fields.dropFirst(2)
      return body(Service(names: names, port: UInt16(port), protocolName: protocolName))
    }
  }

  // MARK: - /etc/protocols

  /// The number of the first protocol whose name or an alias is `name`, compared exactly:
  /// `/etc/protocols` lists `TCP` as an alias of `tcp`, so both are found, `Tcp` is not.
  public static func protocolNumber(_ name: [UInt8], inProtocols text: [UInt8]) -> Int? {
    var found: Int?
    forEachRecord(text) { fields in
      guard fields.count >= 2, let number = decimal(fields[1], maximum: Int(Int32.max)) else { return false }
      guard fields[0].elementsEqual(name) || fields.dropFirst(2).contains(where: { $0.elementsEqual(name) })
      else { return false }
      found = number
      return true
    }
    return found
  }

  /// The name of the first protocol numbered `number`.
  public static func protocolName(_ number: Int32, inProtocols text: [UInt8]) -> [UInt8]? {
    var found: [UInt8]?
    forEachRecord(text) { fields in
      guard fields.count >= 2, let listed = decimal(fields[1], maximum: Int(Int32.max)), listed == Int(number)
      else { return false }
      found = Array(fields[0])
      return true
    }
    return found
  }

  // MARK: - Reading the files

  /// Calls `body` with the fields of each line that has any: the text after `#` is a comment,
  /// fields are separated by blanks (spaces, tabs, a CR of a file written on Windows). Stops
  /// when `body` returns true.
  static func forEachRecord(_ text: [UInt8], _ body: ([ArraySlice<UInt8>]) -> Bool) {
    var fields: [ArraySlice<UInt8>] = []
    for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      let content = line.firstIndex(of: UInt8(ascii: "#")).map { line[..<$0] } ?? line
      fields.removeAll(keepingCapacity: true)
      for field in content.split(whereSeparator: isBlank) { fields.append(field) }
      if !fields.isEmpty && body(fields) { return }
    }
  }

  /// A decimal number of at most `maximum`, or nil (an empty field, a sign, a letter, too large).
  static func decimal(_ text: ArraySlice<UInt8>, maximum: Int) -> Int? {
    guard !text.isEmpty, text.count <= 19, text.allSatisfy(isDigit) else { return nil }
    var value = 0
    for digit in text {
      value = value * 10 + Int(digit - UInt8(ascii: "0"))
      if value > maximum { return nil }
    }
    return value
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  /// isspace() but for the newline that ends a line.
  private static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || ((9...13).contains(byte) && byte != 10) }

  private static func equalIgnoringASCIICase(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { lower($0) == lower($1) }
  }

  private static func lower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}
