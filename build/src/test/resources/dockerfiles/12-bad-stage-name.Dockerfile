FROM demo AS 1st
