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

  /// A short hint for the errors a learner meets first, shown after a failed call
  /// (`set hints off` silences them). The one place these texts live.
  public var hint: String? {
    switch number {
    case Glibc.EADDRINUSE:
      "another socket has this address, or a closed connection keeps it in TIME_WAIT for a minute; "
        + "pick another port, or set SO_REUSEADDR before bind"
    case Glibc.ECONNREFUSED:
      "nothing is listening on that address and port; start the server (bind, listen) first"
    case Glibc.EAGAIN:
      "the socket is non-blocking and the call would have waited; select tells when it is ready"
    case Glibc.EINPROGRESS:
      "the connection goes on in the background; select for writing, then check SO_ERROR"
    case Glibc.EPIPE:
      "the peer has closed the connection (or you shut down writing); nothing more can be sent"
    case Glibc.ECONNRESET:
      "the peer reset the connection: it closed with unread data, or with SO_LINGER set to 0"
    case Glibc.ENOTCONN:
      "the socket is not connected; connect it (client) or accept a connection (server) first"
    case Glibc.EISCONN:
      "the socket is already connected; a socket connects once, so create a new one"
    case Glibc.EINVAL:
      "the call does not fit the socket's state: bind twice, listen on an unbound datagram socket, ..."
    case Glibc.EINTR:
      "the call was interrupted (Ctrl-C) before it finished; the socket is unchanged"
    case Glibc.EACCES:
      "ports below 1024 need privileges; use a port from 1024 up"
    case Glibc.EPERM:
      "this needs privileges (raw sockets need CAP_NET_RAW)"
    case Glibc.EMFILE:
      "the process has too many open files; close some handles (`handles` lists them)"
    case Glibc.EADDRNOTAVAIL:
      "that address is not on this machine; bind 127.0.0.1, ::1 or 0.0.0.0"
    case Glibc.EOPNOTSUPP:
      "this socket type does not do that: listen and accept are for stream sockets"
    default: nil
    }
  }

  public static let EAGAIN = Errno(Glibc.EAGAIN)
  public static let EINTR = Errno(Glibc.EINTR)
  public static let EINPROGRESS = Errno(Glibc.EINPROGRESS)
  public static let EBADF = Errno(Glibc.EBADF)
}

extension Errno: CustomStringConvertible {
  public var description: String { "\(name) (\(message))" }
}
