FROM demo AS one
FROM demo AS One
