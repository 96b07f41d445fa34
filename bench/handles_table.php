<?php
// The end of the handles row's PHP program (bench/run.py writes the rest: the socketpairs in
// $a1, $b1, ..., all of them in $all, and select's result in $r). A table of every socket as
// sockshell's `handles` shows it: the variables naming it, its kind, addresses, a kernel figure
// and readiness, in padded columns.
$names = [];
foreach (get_defined_vars() as $name => $value) {
  if ($value instanceof Socket && $name !== 'p') $names[spl_object_id($value)][] = '$' . $name;
}
$ready = [];
foreach ($r as $socket) $ready[spl_object_id($socket)] = 'R';
$types = [SOCK_STREAM => 'SOCK_STREAM', SOCK_DGRAM => 'SOCK_DGRAM'];
$rows = [['handle', 'names', 'kind', 'local', 'peer', 'rcvbuf', 'ready']];
foreach ($all as $number => $socket) {
  $id = spl_object_id($socket);
  $list = $names[$id] ?? [];
  sort($list);
  $local = socket_getsockname($socket, $address) ? ($address === '' ? '(unnamed)' : $address) : '-';
  $peer = socket_getpeername($socket, $address) ? ($address === '' ? '(unnamed)' : $address) : '-';
  $type = socket_get_option($socket, SOL_SOCKET, SO_TYPE);
  $rows[] = ['#' . ($number + 1), implode(' ', $list), 'AF_UNIX ' . ($types[$type] ?? $type), $local, $peer,
    (string)socket_get_option($socket, SOL_SOCKET, SO_RCVBUF), $ready[$id] ?? '-'];
}
$widths = [];
foreach ($rows as $row) {
  foreach ($row as $column => $cell) $widths[$column] = max($widths[$column] ?? 0, strlen($cell));
}
$text = '';
foreach ($rows as $row) {
  $line = '';
  foreach ($row as $column => $cell) {
    $line .= $column == count($row) - 1 ? $cell : str_pad($cell, $widths[$column] + 2);
  }
  $text .= rtrim($line) . "\n";
}
echo $text;
