import ArgumentParser
import Glibc
import SockShellKit

@main
struct SockShellCommand: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "sockshell",
    abstract: "An interactive shell for learning the BSD socket API.",
    discussion: """
      With no FILE and a terminal on stdin, sockshell is an interactive shell; with stdin from a \
      pipe or a file it runs the statements it reads, printing no prompt. Each system call is \
      echoed as strace would show it. Type `help` in the shell for the commands.

      Exit status: 0; 1 when a script stopped on `or die(...)` or --fail-fast, when a statement \
      of it could not be parsed or run, or when a lesson check failed; `quit N` gives N; 2 for a \
      usage error; 255 for a PHP file that does not parse (nothing of it runs).
      """,
    version: version,
    subcommands: [RunCommand.self, LessonCommand.self, LessonsCommand.self],
    defaultSubcommand: RunCommand.self
  )

  static func main() {
    Signals.unblockAll()
    do {
      var command = try parseAsRoot()
      try command.run()
      Glibc.exit(0)
    } catch let code as ExitCode {
      Glibc.exit(code.rawValue)
    } catch {
      let code = exitCode(for: error)
      let message = fullMessage(for: error)
      if code == .success {
        print(message)
        Glibc.exit(0)
      }
      FileHandleWriter.standardError(message + "\n")
      Glibc.exit(2)
    }
  }
}

/// `sockshell [FILE] [-c STATEMENTS]`: the shell, or a script.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run the shell, a script FILE, or -c STATEMENTS (the default).")

  @Argument(help: "A script file to run: sockshell statements, or a PHP file (<?php … ?>).")
  var file: String?

  @Argument(
    parsing: .captureForPassthrough,
    help: "Arguments for the script, in $argv (after FILE; $argv[0] is FILE) and $argc.")
  var scriptArguments: [String] = []

  @Flag(name: .shortAndLong, help: "Echo no calls: the output is the program's own, as `php FILE` prints it.")
  var quiet = false

  @Option(
    name: .customShort("c"),
    help: ArgumentHelp("Run STATEMENTS (one or more lines) and exit.", valueName: "statements"))
  var statements: String?

  @Flag(help: "Stop a script at the first failed call or error.")
  var failFast = false

  @OptionGroup(title: "Export")
  var export: ExportOptions

  @Flag(help: ArgumentHelp("Print the command reference as Markdown.", visibility: .hidden))
  var markdownReference = false

  func run() throws {
    var journal: Journal?
    var status = start(journal: &journal)
    if !export.finish(journal) && status == 0 { status = 1 }
    if status != 0 { throw ExitCode(status) }
  }

  /// Runs the shell, the script or the statements; `journal` is the session's, for --export.
  func start(journal: inout Journal?) -> Int32 {
    if markdownReference {
      print(HelpText.markdownReference(.standard), terminator: "")
      return 0
    }
    if file != nil && statements != nil {
      FileHandleWriter.standardError("sockshell: give either FILE or -c STATEMENTS, not both\n")
      return 2
    }
    if file == nil && !scriptArguments.isEmpty {
      FileHandleWriter.standardError("sockshell: arguments are for a script FILE; none was given\n")
      return 2
    }
    var settings = Interpreter.Settings()
    settings.failFast = failFast
    if quiet {
      settings.echo = .off
      settings.hints = false
    }

    if let statements {
      let session = Session(settings: settings, interactive: false, export: export)
      journal = session.interpreter.journal
      return session.runScript(ScriptSource(text: statements))
    }
    if let file {
      guard let source = ScriptSource(path: file) else {
        FileHandleWriter.standardError(
          "sockshell: cannot open '\(file)': \(String(cString: strerror(errno)))\n")
        return 2
      }
      let session = Session(settings: settings, interactive: false, export: export)
      journal = session.interpreter.journal
      session.setArguments([file] + scriptArguments)
      if let status = session.runPHPFile(path: file) { return status }
      return session.runScript(source)
    }
    if isatty(0) == 1 {
      let session = Session(settings: settings, interactive: true, export: export)
      journal = session.interpreter.journal
      return session.runInteractive()
    }
    let session = Session(settings: settings, interactive: false, export: export)
    journal = session.interpreter.journal
    return session.runScript(ScriptSource(fd: 0))
  }
}

enum FileHandleWriter {
  static func standardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }
}
