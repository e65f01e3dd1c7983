import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs java.util.regex as Spark's rlike does (Pattern.compile(regex).matcher(str).find(0)). Reads
 * lines "pattern<TAB>value", each string as hex UTF-16 code units (four digits each), and prints one
 * character per line: 1 (found), 0 (not found) or E (the pattern does not compile).
 */
public class JavaRegexOracle {
  private static String decode(String hex) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 4) out.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
    return out.toString();
  }

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    Map<String, Pattern> compiled = new HashMap<>();
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      int tab = line.indexOf('\t');
      String regex = decode(line.substring(0, tab));
      String value = decode(line.substring(tab + 1));
      Pattern pattern = compiled.get(regex);
      if (pattern == null) {
        try {
          pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
          out.append('E');
          continue;
        }
        compiled.put(regex, pattern);
      }
      out.append(pattern.matcher(value).find(0) ? '1' : '0');
    }
    System.out.print(out);
  }
}
