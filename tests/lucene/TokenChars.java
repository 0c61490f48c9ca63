import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import java.io.*;

/**
 * Prints the code points that are a token by themselves to Lucene's
 * StandardAnalyzer (as ranges "first last", one a line, to stdout): the table
 * of src/eval/text/tables.rs is generated from it:
 *
 *   java -cp lucene-core.jar:lucene-analyzers-common.jar tests/lucene/TokenChars.java \
 *     | python3 tests/lucene/token_chars_table.py > src/text/tables.rs
 */
public class TokenChars {
  public static void main(String[] a) throws Exception {
    Analyzer an = new StandardAnalyzer(CharArraySet.EMPTY_SET);
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out));
    int start = -1;
    for (int cp = 0; cp <= 0x110000; cp++) {
      boolean tok = false;
      if (cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        TokenStream ts = an.tokenStream("f", new String(Character.toChars(cp)));
        ts.reset(); tok = ts.incrementToken(); ts.end(); ts.close();
      }
      if (tok && start < 0) start = cp;
      if (!tok && start >= 0) { out.println(start + " " + (cp - 1)); start = -1; }
    }
    out.close();
  }
}
