struct CSourceWriter {
  let tree: ScriptTree
  init(_ tree: ScriptTree) { self.tree = tree }
  mutating func text() throws(SourceExport.Refusal) -> String { throw SourceExport.Refusal("later", line: 0) }
}
