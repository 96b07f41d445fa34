/// Turns what a step printed into the lines a transcript shows: echoes, statement output and
/// sockshell's own messages in the order they came, a line left open by `echo` ended before the
/// next one, as the terminal shows it. Can pass everything on to another sink as it comes.
final class TranscriptOutput: Output {
  private(set) var lines: [String] = []
  private var partial: [UInt8] = []
  private let forward: Output?
  var observer: (any Output)?
  /// Bytes kept at most (`record` bounds its memory); what comes after is dropped and `dropped`
  /// says so. The lesson runner keeps everything.
  private let byteLimit: Int
  private var byteCount = 0
  private(set) var dropped = false

  init(forwardingTo forward: Output? = nil, byteLimit: Int = .max) {
    self.forward = forward
    self.byteLimit = byteLimit
  }

  /// A transcript is plain text: lessons are compared and played without colour.
  var colour: Bool {
    get { false }
    set {}
  }

  func echo(_ line: String) {
    endLine()
    keep(line)
    forward?.echo(line)
    observer?.echo(line)
  }

  func write(_ bytes: [UInt8]) {
    if byteCount + bytes.count > byteLimit {
      dropped = true
    } else {
      byteCount += bytes.count
      for byte in bytes {
        if byte == 10 {
          lines.append(String(decoding: partial, as: UTF8.self))
          partial.removeAll()
        } else {
          partial.append(byte)
        }
      }
    }
    forward?.write(bytes)
    observer?.write(bytes)
  }

  func message(_ line: String) {
    endLine()
    keep(line)
    forward?.message(line)
    observer?.message(line)
  }

  private func keep(_ line: String) {
    guard byteCount + line.utf8.count < byteLimit else {
      dropped = true
      return
    }
    byteCount += line.utf8.count + 1
    lines.append(line)
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
    defer {
      lines.removeAll()
      byteCount = 0
    }
    return lines
  }
}
