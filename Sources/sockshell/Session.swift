import CReadline
import Glibc
import SockShellKit

/// Wires the interpreter to the terminal or to a script.
final class Session {
  let output: StreamOutput
  let interpreter: Interpreter
  let interactive: Bool

  init(settings: Interpreter.Settings, interactive: Bool) {
    var settings = settings
    settings.interactive = interactive
    self.interactive = interactive
    output = StreamOutput(flushesEachWrite: interactive || isatty(1) == 1)
    interpreter = Interpreter(table: .standard, output: output, settings: settings)
  }

  /// Runs a script; the exit status is 0 unless it stopped on `or die`, `quit N` or --fail-fast.
  func runScript(_ source: ScriptSource) -> Int32 {
    var source = source
    var lineNumber = 0
    while let line = source.nextLine() {
      lineNumber += 1
      if !interpreter.run(bytes: line, lineNumber: lineNumber) { break }
    }
    output.endLine()
    output.flush()
    return interpreter.exitStatus ?? 0
  }

  func runInteractive() -> Int32 {
    Signals.catchInterrupts()
    output.write("sockshell \(SockShellCommand.version) — type `help`, or `help create` to start\n")
    output.flush()
    var entry = 0
    while true {
      output.endLine()
      output.flush()
      guard let raw = readline("sockshell> ") else {
        output.write("\n")
        break
      }
      let line = String(cString: raw)
      free(raw)
      _ = Signals.takeInterrupt()
      guard !line.allSatisfy({ $0 == " " || $0 == "\t" }) else { continue }
      add_history(line)
      entry += 1
      if !interpreter.run(line: line, lineNumber: nil) { break }
    }
    interpreter.closeAll()
    output.flush()
    return interpreter.exitStatus ?? 0
  }
}
