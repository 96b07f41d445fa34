import CReadline
import Glibc
import SockShellKit

/// GNU readline through its callback interface: sockshell waits for input with poll, so a
/// Ctrl-C at the prompt arrives as EINTR and clears the line, with no longjmp and no handler
/// of readline's own. Completion asks the library's `Completer`; history is written to its
/// file after every line, so a crash loses nothing, through `HistoryFile` rather than readline's
/// file functions, which follow a symlink planted at the path.
final class LineEditor {
  enum Input {
    case line(String)
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
    case endOfInput
  }

  private let prompt: String
  /// nil when there is none, or it was refused: the history then lasts as long as the session.
  private var historyFile: HistoryFile?
  private var lastStored: String?
  /// Says why the history file is not used (a symlink at its path, another user's file, ...).
  private let report: (String) -> Void

  /// The completer of the running session; readline's C callbacks cannot capture context.
  nonisolated(unsafe) static var completer: ((String, Int) -> Completion)?
  nonisolated(unsafe) private static var received: Input?

  init(prompt: String, historyPath: String?, report: @escaping (String) -> Void) {
    self.prompt = prompt
    self.report = report
    // readline keeps the two strings for the life of the process.
    sockshell_readline_configure(
      strdup("sockshell"), strdup(Completer.wordBreaks), LineEditor.attemptCompletion)
    using_history()
    if let historyPath { loadHistory(historyPath) }
  }

  /// Reads one line with editing; Ctrl-C and Ctrl-D come back as their own cases. The line is
  /// kept in the history unless the caller keeps it itself (`remembers: false`: the shell keeps a
  /// statement typed over several lines as one entry). `prompt` replaces the usual one (`...> `).
  func read(prompt: String? = nil, remembers: Bool = true) -> Input {
    LineEditor.received = nil
    rl_callback_handler_install(prompt ?? self.prompt, LineEditor.lineHandler)
    defer { if LineEditor.received == nil { rl_callback_handler_remove() } }
    while LineEditor.received == nil {
      var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, -1)
      if ready < 0 {
        guard errno == EINTR else { return .endOfInput }
        if Signals.takeInterrupt() {
          abandonLine()
          return .interrupted
        }
        continue
      }
      rl_callback_read_char()
    }
    let input = LineEditor.received!
    if remembers, case .line(let line) = input { store(line) }
    return input
  }

  /// Ctrl-C at the prompt: show `^C`, drop the line and its undo list, restore the terminal.
  private func abandonLine() {
    // The cursor is where the learner left it: end the line there, as a shell does.
    sockshell_cursor_to_end()
    _ = "^C\n".withCString { Glibc.write(1, $0, 3) }
    rl_free_line_state()
    rl_callback_sigcleanup()
    rl_replace_line("", 0)
    rl_callback_handler_remove()
    LineEditor.received = .interrupted
  }

  private static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { raw in
    // Removing the handler here keeps readline from printing the next prompt before the
    // command's output.
    rl_callback_handler_remove()
    guard let raw else {
      received = .endOfInput
      return
    }
    received = .line(String(cString: raw))
    free(raw)
  }

  // MARK: - History

  private func loadHistory(_ path: String) {
    switch HistoryFile.open(path) {
    case .success(let (file, lines)):
      historyFile = file
      for line in lines { add_history(line) }
      lastStored = lines.last
    case .failure(let refusal):
      report(refusal.message)
    }
  }

  /// Keeps a line in the history as if it had been typed (a lesson step run with Enter, a
  /// statement typed over several lines), so Up brings it back to edit.
  func remember(_ line: String) { store(line) }

  private func store(_ line: String) {
    guard History.shouldStore(line, after: lastStored) else { return }
    let entry = History.entry(line)
    lastStored = entry
    add_history(entry)
    if let refusal = historyFile?.append(entry) {
      report(refusal.message)
      historyFile = nil
    }
  }

  // MARK: - Completion

  private static let attemptCompletion:
    @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<
      UnsafeMutablePointer<CChar>?
    >? = {
      _, start, end in
      sockshell_completion_settings(32)
      guard let completer, let buffer = sockshell_line_buffer() else { return nil }
      let line = Array(String(cString: buffer).utf8)
      let cursor = min(Int(end), line.count)
      let completion = completer(String(decoding: line[..<cursor], as: UTF8.self), cursor)
      // readline replaces from its own word start; line the candidates up with it.
      let theirs = Int(start)
      var candidates = completion.candidates
      if completion.start > theirs {
        let lead = String(decoding: line[theirs..<completion.start], as: UTF8.self)
        candidates = candidates.map { lead + $0 }
      } else if completion.start < theirs {
        let extra = theirs - completion.start
        candidates = candidates.filter { $0.utf8.count >= extra }.map {
          String(decoding: Array($0.utf8)[extra...], as: UTF8.self)
        }
      }
      guard !candidates.isEmpty else { return nil }
      // A directory is not finished: no space after it.
      if candidates.count == 1 && candidates[0].hasSuffix("/") { sockshell_completion_settings(0) }
      // matches[0] is what replaces the word: the longest prefix all candidates share.
      var common = Array(candidates[0].utf8)
      for candidate in candidates.dropFirst() {
        let bytes = Array(candidate.utf8)
        var length = 0
        while length < min(common.count, bytes.count) && common[length] == bytes[length] { length += 1 }
        common.removeSubrange(length...)
      }
      let matches =
        candidates.count == 1 ? candidates : [String(decoding: common, as: UTF8.self)] + candidates
      // readline frees the array and its strings with free().
      let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (matches.count + 1)
      let array = malloc(size)!.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: matches.count + 1)
      for (index, match) in matches.enumerated() { array[index] = strdup(match) }
      array[matches.count] = nil
      return array
    }
}
