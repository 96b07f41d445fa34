/// Keeps what a session does as it happens, for `record`: it sees each line before the line
/// runs, and the output through `Output.observer`. The interpreter knows only this much of it;
/// what is kept and how it is written belongs to the recorder (Views/LessonRecorder.swift).
public protocol SessionRecorder: AnyObject {
  /// A line about to run, as typed or as a script has it.
  func willRun(_ line: ArraySlice<UInt8>)
  /// Ends the recording and writes it; the text says what was written, the error why not.
  func finish() -> Result<String, ShellError>
  /// What watches the output while the recording runs (`Output.observer`).
  var outputObserver: any Output { get }
}

/// Makes a recorder writing to `path` (replacing an existing file when `overwrites`), or says
/// why it cannot. Handed to the interpreter by whoever makes it, as the lesson player is.
public typealias SessionRecorderFactory = (_ path: String, _ overwrites: Bool) throws(ShellError) -> any SessionRecorder
