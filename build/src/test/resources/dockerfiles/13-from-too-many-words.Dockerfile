FROM demo AS a b
