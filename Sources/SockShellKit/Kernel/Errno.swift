import CReadline
import Glibc

/// An errno value as the kernel reported it: number, symbolic name and libc's message.
public struct Errno: Error, Equatable, Hashable, Sendable {
  public let number: Int32

  public init(_ number: Int32) { self.number = number }

  /// `ECONNREFUSED`, or `E123` for a number glibc has no name for.
  public var name: String {
    if let cName = strerrorname_np(number) { return String(cString: cName) }
    return "E\(number)"
  }

  /// `Connection refused`.
  public var message: String {
    guard let cMessage = strerror(number) else { return "Unknown error \(number)" }
    return String(cString: cMessage)
  }

  /// The errno left by the last failed libc call.
  static var current: Errno { Errno(Glibc.errno) }

  /// Looks an errno up by name (`ECONNREFUSED`, also PHP's `SOCKET_ECONNREFUSED`).
  public init?(name: String) {
    var bare = Substring(name)
    if bare.hasPrefix("SOCKET_") { bare = bare.dropFirst(7) }
    guard let number = Errno.numbersByName[String(bare)] else { return nil }
    self.number = number
  }

  /// Every errno glibc names, by name. Linux numbers errnos from 1 to 133.
  public static let numbersByName: [String: Int32] = {
    var table: [String: Int32] = [:]
    for number in Int32(1)...Int32(140) {
      if let cName = strerrorname_np(number) { table[String(cString: cName)] = number }
    }
    return table
  }()

  public static let EAGAIN = Errno(Glibc.EAGAIN)
  public static let EINTR = Errno(Glibc.EINTR)
  public static let EINPROGRESS = Errno(Glibc.EINPROGRESS)
  public static let EBADF = Errno(Glibc.EBADF)
}

extension Errno: CustomStringConvertible {
  public var description: String { "\(name) (\(message))" }
}
