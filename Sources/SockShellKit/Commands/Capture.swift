/// `pcap FILE`: what `--wire` has captured, for tcpdump or Wireshark.
extension Shell {
  static let pcap = CommandSpec(
    name: "pcap", family: .shell, synopsis: "pcap FILE",
    summary: "Save the segments captured so far (--wire) as a pcap file for tcpdump -r or Wireshark.",
    notes: """
      The file holds every frame the session's loopback carried since it started, each once, in
      the classic pcap format with Ethernet framing (link type 1), as `tcpdump -i lo -w` writes
      it: `tcpdump -n -r FILE` shows the lines --wire showed, with timestamps and TCP options.
      A file at FILE is replaced (a symlink is not followed). Without --wire there is nothing to
      save: start sockshell with --wire.
      """,
    example: "pcap /tmp/session.pcap"
  ) { (call: inout Invocation) throws(ShellError) -> Value in
    try call.expect(1...1)
    let path = try call.text(0, "the file")
    let interpreter = call.interpreter
    guard let wire = interpreter.wire else {
      throw ShellError(
        "pcap: the wire is off, so nothing was captured; start sockshell with --wire "
          + "(sockshell --wire, sockshell --wire FILE, sockshell lesson N --wire)")
    }
    // What came since the last call shows before the report of what the file holds.
    interpreter.showWire()
    let capture = wire.capture
    if case .failure(let errno) = PcapFile.write(capture.frames, to: path) {
      throw ShellError("pcap: cannot write \(path): \(errno.message)")
    }
    var report =
      "sockshell: wrote \(capture.frames.count) packet\(capture.frames.count == 1 ? "" : "s") to \(path)"
    if capture.framesDropped > 0 {
      report += " (the \(capture.framesDropped) after the first 64 MiB were shown but not kept)"
    }
    interpreter.output.message(report + "; read it with tcpdump -n -r \(path)")
    return .null
  }
}
