import ArgumentParser
import Glibc
import SockShellKit

/// Lessons played on the wire (`<!-- wire -->`): played, they enter the namespace as `--wire`
/// does; checked or updated, each runs in a sockshell of its own that enters it first
/// (`--as-wire-child`), since a namespace is the whole process's.
extension LessonCommand {
  /// The wire of this run: `--wire` or `--join`; a lesson played on the wire; or, in a wire
  /// child, the namespace the check needs, and without it the `skip` line and exit status 0.
  func startWire(library: LessonLibrary, paths: [String]) throws -> Wire? {
    if asWireChild {
      switch Wire.start(namespace: .own) {
      case .success(let wire): return wire
      case .failure(let failure):
        let path = paths.first ?? "lesson"
        var bytes = Array(WireLessonChild.skipped(path, reason: failure.reason).utf8)
        _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
        throw ExitCode.success
      }
    }
    let playing = !check && !update
    if playing, wireOptions.join == nil, !wireOptions.wire, paths.count == 1,
      (try? library.load(paths[0]))?.wire == true
    {
      return Session.startWire(namespace: .own)
    }
    return wireOptions.start()
  }

  /// Checks (or updates) a wire lesson in a child sockshell and passes its report on; false when
  /// it failed. A child that finds no namespace reports the lesson skipped, and that is no failure.
  func checkOnTheWire(_ lesson: Lesson, library: LessonLibrary, output: StreamOutput) -> Bool {
    // A lesson of the library by its name (the child finds the same library, built in or not).
    var name = lesson.path
    if library.files.contains(name), let slash = name.lastIndex(of: "/") {
      name = String(name[name.index(after: slash)...].dropLast(3))
    }
    var arguments = ["lesson", name, check ? "--check" : "--update", WireLessonChild.flag]
    arguments += ["--timeout", String(timeout)]
    for assignment in assignments { arguments += ["--set", assignment] }
    // Each step may take the whole timeout; the child ends itself long before this.
    let limit = timeout * (lesson.steps.count + 2)
    guard let (status, text) = WireLessonChild.run(arguments, name: lesson.path, timeout: limit) else {
      output.write("FAIL  \(lesson.path)\ncould not start a sockshell to check it on the wire\n")
      return false
    }
    output.write(text)
    if status != 0 && status != 1 {
      output.write("FAIL  \(lesson.path)\nthe sockshell checking it on the wire ended with status \(status)\n")
    }
    return status == 0
  }
}
