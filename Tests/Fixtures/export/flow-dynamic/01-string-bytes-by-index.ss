$s = "hello"
for ($i = 0; $i < strlen($s); $i++) {
  echo $s[$i] . "-"
}
echo "\n"
