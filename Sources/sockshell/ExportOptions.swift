import ArgumentParser
import Glibc
import SockShellKit

/// `--export LANG [--export-to FILE [--force]]`: after a script, `-c` statements, the shell or a
/// lesson, write what the run did as a program (as the shell's `export` command does).
struct ExportOptions: ParsableArguments {
  @Option(
    name: .customLong("export"),
    help: ArgumentHelp(
      "After the run, write its calls as a program in LANG (c, python or php): to stdout, where the run's own "
        + "output then goes to stderr, or to --export-to FILE.", valueName: "lang"))
  var language: String?

  @Option(name: .customLong("export-to"), help: ArgumentHelp("The file --export writes.", valueName: "file"))
  var file: String?

  @Flag(help: "Let --export-to replace an existing file.")
  var force = false

  @Flag(
    name: .customLong("no-run"),
    help: ArgumentHelp(
      "With --export and a script FILE that has loops, conditions or functions: write the program from the "
        + "script's text alone, without running it (a server that waits for clients, say)."))
  var noRun = false

  func validate() throws {
    guard let language else {
      if noRun { throw ValidationError("--no-run goes with --export LANG") }
      if file != nil { throw ValidationError("--export-to needs --export LANG") }
      if force { throw ValidationError("--force goes with --export-to FILE") }
      return
    }
    guard ExportLanguage(name: language) != nil else {
      throw ValidationError("--export takes \(ExportLanguage.names), not '\(language)'")
    }
    // Refused before the run, so that nothing runs for a program that could not be written.
    if let file {
      if file.isEmpty { throw ValidationError("--export-to needs a file name") }
      var status = stat()
      if lstat(file, &status) == 0 {
        if (status.st_mode & S_IFMT) == S_IFDIR {
          throw ValidationError("--export-to \(file) is a directory")
        }
        if !force { throw ValidationError("--export-to \(file) exists; --force replaces it") }
      }
    }
  }

  var isOn: Bool { language != nil }

  /// Where the run's own output goes: stderr when the program takes stdout.
  var runOutputFD: Int32 { language != nil && file == nil ? 2 : 1 }

  /// A journal for the run to keep, when there is a program to write.
  func journal() -> Journal? { isOn ? Journal() : nil }

  /// --no-run: the program written from the script's text, nothing run. The status: 0, or 1
  /// after saying why there is none (a script without structure is exported from its run).
  func writeWithoutRunning(_ source: [UInt8]?, name: String) -> Int32 {
    guard let language, let chosen = ExportLanguage(name: language) else { return 2 }
    guard let source else {
      FileHandleWriter.standardError("sockshell: --no-run needs a script FILE to read\n")
      return 2
    }
    switch SourceExport.program(file: source, language: chosen) {
    case .none:
      FileHandleWriter.standardError(
        "sockshell: \(name) has no loop, condition or function: its program is the calls it makes, "
          + "written after a run; leave out --no-run\n")
      return 1
    case .failure(let refusal):
      FileHandleWriter.standardError(
        "sockshell: \(name): line \(refusal.line): \(refusal.message); without --no-run, the calls of a run "
          + "are written instead\n")
      return 1
    case .success(let program):
      return emit(program) ? 0 : 1
    }
  }

  /// Writes the program; false (after saying why) when it could not be written. A script
  /// (`source`, the file's or -c's text) with loops, conditions or functions is written with them
  /// (SourceExport); one without, or one the language cannot be given, as the calls it made.
  func finish(_ journal: Journal?, source: [UInt8]? = nil) -> Bool {
    guard let language, let journal, let chosen = ExportLanguage(name: language) else { return true }
    var program = ProgramExport.program(journal, language: chosen)
    switch source.flatMap({ SourceExport.program(file: $0, language: chosen) }) {
    case .none: break
    case .success(let structured): program = structured
    case .failure(let refusal):
      program.notes.insert(
        "line \(refusal.line): \(refusal.message); the program is the calls the run made, one by one, "
          + "its loops unrolled", at: 0)
    }
    return emit(program)
  }

  /// The program to stdout or to --export-to FILE, its notes on stderr.
  private func emit(_ program: ExportedProgram) -> Bool {
    for note in program.notes { FileHandleWriter.standardError("sockshell: export: \(note)\n") }
    guard let file else {
      var bytes = Array(program.text.utf8)
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
      }
      bytes.removeAll()
      return true
    }
    if let problem = program.write(to: file, overwrites: force) {
      FileHandleWriter.standardError("sockshell: \(problem.message)\n")
      return false
    }
    let what =
      program.structured
      ? "the script, its loops and functions kept,"
      : "\(program.calls) call\(program.calls == 1 ? "" : "s")"
    FileHandleWriter.standardError("sockshell: wrote \(what) as \(program.language) to \(file)\n")
    return true
  }
}
