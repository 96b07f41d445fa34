$truthy = "0"
if ($truthy) { echo "yes\n" }
echo "[" . $truthy[0] . "]" . strlen("ab") . (int)"3" . strpos("ab","b") . substr("abc",1) . (6 / 3) . "\n"
$q = ["x" => 1]
echo array_search(1, $q) . "\n"
