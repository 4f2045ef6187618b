
# a comment before anything ends the directives
# escape=`
FROM demo
RUN echo a \
# a comment inside a continuation is dropped

    b
  run   echo lower-case keyword and indentation
