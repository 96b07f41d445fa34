/// Turns what a step printed into the lines a transcript shows: echoes, statement output and
/// sockshell's own messages in the order they came, a line left open by `echo` ended before the
/// next one, as the terminal shows it. Can pass everything on to another sink as it comes.
final class TranscriptOutput: Output {
  private(set) var lines: [String] = []
  private var partial: [UInt8] = []
  private let forward: Output?

  init(forwardingTo forward: Output? = nil) { self.forward = forward }

  /// A transcript is plain text: lessons are compared and played without colour.
  var colour: Bool {
    get { false }
    set {}
  }

  func echo(_ line: String) {
    endLine()
    lines.append(line)
    forward?.echo(line)
  }

  func write(_ bytes: [UInt8]) {
    for byte in bytes {
      if byte == 10 {
        lines.append(String(decoding: partial, as: UTF8.self))
        partial.removeAll()
      } else {
        partial.append(byte)
      }
    }
    forward?.write(bytes)
  }

  func message(_ line: String) {
    endLine()
    lines.append(line)
    forward?.message(line)
  }

  func flush() { forward?.flush() }

  private func endLine() {
    guard !partial.isEmpty else { return }
    lines.append(String(decoding: partial, as: UTF8.self))
    partial.removeAll()
  }

  /// The lines so far, an unfinished one included, and a fresh start.
  func take() -> [String] {
    endLine()
    defer { lines.removeAll() }
    return lines
  }
}
