import CReadline
import Glibc

/// One frame as it crossed loopback: an Ethernet header (loopback's MACs are zero) and the IP
/// packet, with the time the kernel took it.
public struct CapturedFrame: Sendable {
  public var seconds: Int
  public var nanoseconds: Int
  /// The frame, cut at the snap length.
  public var bytes: [UInt8]
  /// Its length on the wire, before any cut.
  public var length: Int
}

/// An AF_PACKET socket on the namespace's `lo`, the way tcpdump captures (without libpcap). It
/// sits at a descriptor of 1000 or above, so the learner's sockets get the fds they would get
/// without it. It never touches the learner's sockets.
public final class LoopbackCapture {
  /// The snap length, tcpdump's default.
  public static let snapLength = 262_144
  /// What the capture keeps for `pcap`; beyond this it still shows segments but keeps no more.
  public static let keptLimit = 64 << 20

  public let fd: Int32
  /// Every frame captured so far, in order (up to keptLimit bytes).
  public private(set) var frames: [CapturedFrame] = []
  public private(set) var keptBytes = 0
  /// Frames not kept because keptLimit was reached.
  public private(set) var framesDropped = 0
  private var buffer = [UInt8](repeating: 0, count: LoopbackCapture.snapLength)
  private var control = [UInt8](repeating: 0, count: 64)

  private init(fd: Int32) { self.fd = fd }

  deinit { close(fd) }

  /// A packet socket bound to `lo`, with kernel timestamps, moved to a descriptor of 1000 or
  /// above. Fails without CAP_NET_RAW in the current network namespace.
  public static func open() -> Result<LoopbackCapture, PrivateNetwork.Refusal> {
    // Protocol 0: the socket takes no packet until bind names lo and ETH_P_ALL. Made with
    // ETH_P_ALL, it would listen on every interface at once, and the bind would have to take
    // that back, waiting out an RCU grace period (synchronize_net, some 10 ms).
    let first = socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard first >= 0 else {
      return .failure(PrivateNetwork.Refusal(step: "socket(AF_PACKET, SOCK_RAW)", errno: Errno.current))
    }
    // Above the fds a session uses, so the learner's sockets number as they would without it.
    let fd = fcntl(first, F_DUPFD_CLOEXEC, 1000)
    let dupError = Errno.current
    close(first)
    guard fd >= 0 else {
      return .failure(PrivateNetwork.Refusal(step: "fcntl(F_DUPFD_CLOEXEC, 1000)", errno: dupError))
    }
    var address = sockaddr_ll()
    address.sll_family = UInt16(AF_PACKET)
    address.sll_protocol = UInt16(ETH_P_ALL).bigEndian
    address.sll_ifindex = Int32(if_nametoindex("lo"))
    var on: Int32 = 1
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_ll>.size))
      }
    }
    guard bound == 0 else {
      let error = Errno.current
      close(fd)
      return .failure(PrivateNetwork.Refusal(step: "bind(AF_PACKET, lo)", errno: error))
    }
    _ = setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, socklen_t(MemoryLayout<Int32>.size))
    // Loopback hands each packet to the capture twice, leaving and arriving: the kernel drops
    // the leaving copy (PACKET_IGNORE_OUTGOING, Linux 4.20), and `drain` skips it where it cannot.
    _ = setsockopt(fd, SOL_PACKET, 23, &on, socklen_t(MemoryLayout<Int32>.size))
    return .success(LoopbackCapture(fd: fd))
  }

  /// Reads every frame waiting, without blocking, and returns the range of `frames` it added
  /// (the frames themselves when keptLimit is reached: then they are handed over, not kept).
  /// Each packet on loopback is seen twice, leaving and arriving; only the arrival is kept, as
  /// tcpdump keeps it.
  public func drain(_ each: (CapturedFrame) -> Void) {
    while true {
      var from = sockaddr_ll()
      var length = 0
      var controlLength = 0
      let count = buffer.withUnsafeMutableBytes { data in
        control.withUnsafeMutableBytes { control in
          withUnsafeMutableBytes(of: &from) { name in
            var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
            return withUnsafeMutablePointer(to: &vector) { vector in
              var message = msghdr(
                msg_name: name.baseAddress, msg_namelen: socklen_t(name.count), msg_iov: vector,
                msg_iovlen: 1,
                msg_control: control.baseAddress, msg_controllen: control.count, msg_flags: 0)
              let got = recvmsg(fd, &message, Int32(MSG_DONTWAIT) | Int32(MSG_TRUNC))
              length = got
              controlLength = Int(message.msg_controllen)
              return got
            }
          }
        }
      }
      if count < 0 {
        if errno == EINTR { continue }
        return
      }
      guard Int32(from.sll_pkttype) != PACKET_OUTGOING else { continue }
      let (seconds, nanoseconds) = timestamp(controlLength)
      let kept = min(length, buffer.count)
      let frame = CapturedFrame(
        seconds: seconds, nanoseconds: nanoseconds, bytes: Array(buffer[..<kept]), length: length)
      if keptBytes + kept <= LoopbackCapture.keptLimit {
        frames.append(frame)
        keptBytes += kept
      } else {
        framesDropped += 1
      }
      each(frame)
    }
  }

  /// Waits up to `milliseconds` for a frame; true when one is there.
  public func wait(milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, milliseconds) == 1
  }

  /// The SCM_TIMESTAMPNS that came with the last frame, else the time now.
  private func timestamp(_ controlLength: Int) -> (Int, Int) {
    var stamp = timespec()
    let found = control.withUnsafeBytes { whole -> Bool in
      let raw = UnsafeRawBufferPointer(rebasing: whole[..<min(controlLength, whole.count)])
      // One cmsghdr: length, level, type, then the timespec at the aligned data offset.
      let headerSize = MemoryLayout<cmsghdr>.size
      guard raw.count >= headerSize + MemoryLayout<timespec>.size else { return false }
      let header = raw.loadUnaligned(as: cmsghdr.self)
      guard header.cmsg_level == SOL_SOCKET, header.cmsg_type == SO_TIMESTAMPNS else { return false }
      stamp = raw.loadUnaligned(fromByteOffset: headerSize, as: timespec.self)
      return true
    }
    if !found { clock_gettime(CLOCK_REALTIME, &stamp) }
    return (stamp.tv_sec, stamp.tv_nsec)
  }
}
