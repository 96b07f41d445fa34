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

      --wire (for the shell, a script or a lesson) shows under each call the TCP and UDP \
      segments it caused, on a loopback of sockshell's own; --join enters that of a --wire \
      session in another terminal.

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
    // A --wire session's file for --join goes when it ends.
    do {
      var command = try parseAsRoot(WireOptions.spellingJoin(Array(CommandLine.arguments.dropFirst())))
      try command.run()
      WireSessions.remove()
      Glibc.exit(0)
    } catch let code as ExitCode {
      WireSessions.remove()
      Glibc.exit(code.rawValue)
    } catch {
      WireSessions.remove()
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

  @OptionGroup var wireOptions: WireOptions

  @OptionGroup(title: "Export")
  var export: ExportOptions

  @Flag(help: ArgumentHelp("Print the command reference as Markdown.", visibility: .hidden))
  var markdownReference = false

  func run() throws {
    if export.noRun {
      let status = export.writeWithoutRunning(exportSource(), name: file ?? "-c")
      if status != 0 { throw ExitCode(status) }
      return
    }
    var journal: Journal?
    var status = start(journal: &journal)
    if !export.finish(journal, source: exportSource()) && status == 0 { status = 1 }
    if status != 0 { throw ExitCode(status) }
  }

  /// The text of the script or statements that ran, for --export to write with its loops.
  func exportSource() -> [UInt8]? {
    guard export.isOn else { return nil }
    if let statements { return Array(statements.utf8) }
    return file.flatMap(SourceExport.source(path:))
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
    // Before any socket of the learner's and before anything starts a thread (WireOptions).
    let wire = wireOptions.start()
    var settings = Interpreter.Settings()
    settings.failFast = failFast
    if quiet {
      settings.echo = .off
      settings.hints = false
    }

    if let statements {
      let session = Session(settings: settings, interactive: false, export: export, wire: wire)
      journal = session.interpreter.journal
      return session.runScript(ScriptSource(text: statements))
    }
    if let file {
      guard let source = ScriptSource(path: file) else {
        FileHandleWriter.standardError(
          "sockshell: cannot open '\(file)': \(String(cString: strerror(errno)))\n")
        return 2
      }
      let session = Session(settings: settings, interactive: false, export: export, wire: wire)
      journal = session.interpreter.journal
      session.setArguments([file] + scriptArguments)
      if let status = session.runPHPFile(path: file) { return status }
      return session.runScript(source)
    }
    if isatty(0) == 1 {
      let session = Session(settings: settings, interactive: true, export: export, wire: wire)
      journal = session.interpreter.journal
      return session.runInteractive()
    }
    let session = Session(settings: settings, interactive: false, export: export, wire: wire)
    journal = session.interpreter.journal
    return session.runScript(ScriptSource(fd: 0))
  }
}

/// `--wire`, shared by the shell, scripts and lessons.
struct WireOptions: ParsableArguments {
  @Flag(help: "Show under each call the TCP and UDP segments it caused on loopback, as tcpdump shows them.")
  var wire = false

  @Flag(
    help: ArgumentHelp(
      "With --wire, capture in the network namespace sockshell was started in instead of one of its own.",
      visibility: .hidden))
  var wireHere = false

  @Option(
    help: ArgumentHelp(
      "Join the network namespace of your --wire session with this PID (--join alone: the newest), "
        + "so a lesson's two ends in two terminals meet under --wire; shows the wire here too.",
      valueName: "pid"))
  var join: String?

  /// Enters the namespace and opens the capture. A user namespace is only given to a process
  /// that has one thread: this runs before the session, its readline or a lesson's peers exist.
  func start() -> Wire? {
    if let join {
      return Session.startWire(namespace: .joined(join == WireOptions.newest ? nil : Int32(join)))
    }
    guard wire else { return nil }
    return Session.startWire(namespace: wireHere ? .current : .own)
  }

  func validate() throws {
    if let join, join != WireOptions.newest, Int32(join).map({ $0 <= 0 }) ?? true {
      throw ValidationError("--join takes the PID of a sockshell --wire session, or nothing")
    }
    if join != nil && (wire || wireHere) { throw ValidationError("--join and --wire: choose one") }
  }

  static let newest = "newest"

  /// `--join` may stand alone or take a PID: a bare one is given the value `newest`.
  static func spellingJoin(_ arguments: [String]) -> [String] {
    var result: [String] = []
    for (index, argument) in arguments.enumerated() {
      // A script's own arguments, after `--` or its FILE, are left as they are.
      if argument == "--" || (!argument.hasPrefix("-") && access(argument, F_OK) == 0) {
        return result + arguments[index...]
      }
      result.append(argument)
      if argument == "--join" {
        let next = index + 1 < arguments.count ? arguments[index + 1] : ""
        if next.isEmpty || !next.allSatisfy(\.isNumber) { result.append(newest) }
      }
    }
    return result
  }
}

enum FileHandleWriter {
  static func standardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }
}
