<?php
// The for-loop row: 20,000 socket_create/socket_close pairs in one loop, printing nothing.
// The loop is parsed once, so what it measures is the cost of each pass.
for ($i = 0; $i < 20000; $i++) {
  $s = socket_create(AF_INET, SOCK_STREAM, 0);
  socket_close($s);
}
