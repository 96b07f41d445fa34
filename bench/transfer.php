<?php
// The transfer row: 16 MiB through a socket pair in 64 KiB writes, gathered on the other end
// with .= and counted. The writing end is non-blocking and a write is made only when nothing is
// in flight, so neither end ever waits: where the pair's buffer is smaller than a block, the
// write is short and the next one goes on (the block is all "x", so its first bytes are the rest).
$total = 16 * 1024 * 1024;
socket_create_pair(AF_UNIX, SOCK_STREAM, 0, $pair);
$a = $pair[0];
$b = $pair[1];
socket_set_nonblock($a);
$block = str_repeat("x", 65536);
$got = "";
$sent = 0;
while (strlen($got) < $total) {
  if ($sent == strlen($got)) {
    $want = $total - $sent;
    if ($want > 65536) {
      $want = 65536;
    }
    $n = socket_write($a, $block, $want);
    if ($n === false) {
      die("socket_write failed\n");
    }
    $sent += $n;
  }
  $chunk = socket_read($b, 65536);
  $got .= $chunk;
}
echo strlen($got), "\n";
