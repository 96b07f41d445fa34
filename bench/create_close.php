<?php
// The PHP baseline of the memory row: the same socket_create/socket_close calls as the
// sockshell script, printing nothing. Usage: php create_close.php PAIRS
$pairs = (int)($argv[1] ?? 500000);
for ($i = 0; $i < $pairs; $i++) {
  $socket = socket_create(AF_INET, SOCK_STREAM, 0);
  socket_close($socket);
}
