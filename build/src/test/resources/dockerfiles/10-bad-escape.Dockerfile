# escape=x
FROM demo
