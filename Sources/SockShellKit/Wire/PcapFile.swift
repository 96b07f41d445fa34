import Glibc

/// The classic libpcap file format that tcpdump -w writes and tcpdump -r, Wireshark and tshark
/// read: a global header, then each frame with its time and lengths. Loopback frames carry an
/// Ethernet header (with zero MACs), so the link type is LINKTYPE_ETHERNET, as for `tcpdump -i lo`.
public enum PcapFile {
  public static let linkTypeEthernet: UInt32 = 1

  public static func bytes(_ frames: [CapturedFrame]) -> [UInt8] {
    var data: [UInt8] = []
    data.reserveCapacity(24 + frames.reduce(0) { $0 + 16 + $1.bytes.count })
    func put32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data += $0 } }
    func put16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data += $0 } }
    put32(0xa1b2_c3d4)  // microsecond timestamps
    put16(2)
    put16(4)
    put32(0)  // thiszone
    put32(0)  // sigfigs
    put32(UInt32(LoopbackCapture.snapLength))
    put32(linkTypeEthernet)
    for frame in frames {
      put32(UInt32(truncatingIfNeeded: frame.seconds))
      put32(UInt32(frame.nanoseconds / 1000))
      put32(UInt32(frame.bytes.count))
      put32(UInt32(frame.length))
      data += frame.bytes
    }
    return data
  }

  /// Writes the file, replacing a regular file at `path`; a symlink is not followed.
  public static func write(_ frames: [CapturedFrame], to path: String) -> Result<Void, Errno> {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return .failure(Errno.current) }
    defer { close(fd) }
    let data = bytes(frames)
    var offset = 0
    while offset < data.count {
      let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        return .failure(Errno.current)
      }
      offset += written
    }
    return .success(())
  }
}
