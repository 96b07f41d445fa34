/// The echo of the calls one command makes. Each call is rendered the moment the kernel reports
/// it, into one byte buffer kept from command to command; the lines go out when the command is
/// done, because only then is its value, and so the annotation of the last line, known.
final class CallEchoes: CallView {
  // The stored properties a script touches on every line are marked @exclusivity(unchecked):
  // each dynamic check costs more than the work around it (bench/README.md), and none of them is
  // ever reached through two overlapping accesses (no inout borrow of one outlives a call here).
  /// One call's rendering in `text`, without its annotation.
  private struct Pending {
    var start: Int
    var end: Int
    /// Bytes of colour codes, which take no room on the screen.
    var invisible: Int
    var errno: Errno?
    /// A line that is not a call: a segment seen on the wire (`--wire`), shown as it is.
    var isNote = false
  }

  @exclusivity(unchecked) private var pending: [Pending] = []
  private let text = ByteBuffer(capacity: 1024)

  var isEmpty: Bool { pending.isEmpty }

  /// Renders a call the kernel has just reported.
  func record(_ record: borrowing SyscallRecord, stringLimit: Int, colour: Bool) {
    let start = text.count
    let invisible = EchoRenderer(stringLimit: stringLimit, colour: colour).append(record, to: text)
    pending.append(Pending(start: start, end: text.count, invisible: invisible, errno: record.errno))
  }

  /// A line shown among the calls where it comes, not annotated: a segment on the wire.
  func note(_ render: (ByteBuffer) -> Void) {
    let start = text.count
    render(text)
    pending.append(Pending(start: start, end: text.count, invisible: 0, errno: nil, isNote: true))
  }

  /// Writes the lines to `output` and forgets them. The last line carries the annotation: the
  /// handles the command created (`#3`) and the variable its value went to (`$spawn`). After a
  /// failed call comes its hint, once per errno, when `hint` gives one.
  /// `mode` leaves out the calls not to be echoed; their hints still come.
  func commandDone(
    output: Output, mode: Interpreter.EchoMode, handles: Value, variable: String?, hint: (Errno) -> String?
  ) {
    guard !pending.isEmpty else { return }
    // The annotation goes on the last call: segments may follow it, and a call's hint comes
    // after its segments.
    let last = pending.lastIndex { !$0.isNote } ?? -1
    var waitingHint: String?
    func showHint() {
      if let text = waitingHint { output.message("hint: " + text) }
      waitingHint = nil
    }
    for index in pending.indices {
      if pending[index].isNote {
        if mode == .all { output.echo { line in line.append(rendering(pending[index])) } }
        continue
      }
      showHint()
      let created = index == last ? handles : .null
      let note = index == last ? variable : nil
      if mode == .all || (mode == .errors && pending[index].errno != nil) {
        output.echo { line in append(index, handles: created, variable: note, to: line) }
      }
      if let errno = pending[index].errno,
        !pending[..<index].contains(where: { $0.errno == errno })
      {
        waitingHint = hint(errno)
      }
    }
    showHint()
    discard()
  }

  /// Forgets what was rendered without writing it.
  func discard() {
    pending.clearKeepingCapacity()
    text.removeAll()
  }

  /// A call's rendering, as it lies in `text`.
  private func rendering(_ echo: Pending) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: text.base + echo.start, count: echo.end - echo.start)
  }

  /// One echo line: the call, then, padded out to column 64, the annotation.
  private func append(_ index: Int, handles: Value, variable: String?, to line: ByteBuffer) {
    let echo = pending[index]
    line.append(rendering(echo))
    let width = echo.end - echo.start - echo.invisible
    let end = line.count
    func separate() {
      if line.count == end {
        line.append(repeating: 32, count: max(2, 64 - width))
      } else {
        line.append(32)
      }
    }
    func annotate(_ number: Int) {
      separate()
      line.append(UInt8(ascii: "#"))
      line.appendDecimal(number)
    }
    switch handles {
    case .handle(let number): annotate(number)
    case .array(let items): for case (_, .handle(let number)) in items { annotate(number) }
    default: break
    }
    if let variable {
      separate()
      line.append(UInt8(ascii: "$"))
      line.append(variable)
    }
  }
}

extension Interpreter {
  /// A session that shows its calls as strace does (the shell's, a script's, a lesson's) and
  /// can record itself as a lesson.
  public convenience init(
    table: CommandTable, output: Output, kernel: Kernel = Kernel(), settings: Settings = Settings(),
    lessonPlayer: (any LessonPlayer)? = nil, wire: Wire? = nil
  ) {
    // Under `--wire` the echo shows the segments each call caused (WireEchoes.swift).
    let wireView = wire.map { WireEchoes(wire: $0) }
    self.init(
      table: table, output: output, kernel: kernel, settings: settings, lessonPlayer: lessonPlayer,
      view: wireView ?? CallEchoes())
    if let wireView { attach(wireView) }
    // `timeline` draws the session's journal.
    timelineDrawer = { journal, style in
      let timeline = Timeline(entries: journal.entries, dropped: journal.dropped, wire: journal.wireEvents)
      return style.mermaid ? timeline.mermaid() : timeline.drawing(width: style.width, ascii: style.ascii, colour: style.colour)
    }
    // `record` writes the session as a lesson, another view of what happened.
    recorderFactory = { [unowned self] (path, overwrites) throws(ShellError) in
      if let problem = LessonRecorder.refusal(path, overwrites: overwrites) { throw problem }
      return LessonRecorder(path: path, overwrites: overwrites, interpreter: self)
    }
    // `export` writes the journal as a program, another view of it.
    programExporter = ProgramExport.exporter
  }
}
