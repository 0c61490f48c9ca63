// The model of Help Scout's search engine (SPEC §8, grammar.md "The model of
// Help Scout's engine"), run in real Apache Lucene 8: customer records indexed
// as the model says, queries parsed by Lucene's classic QueryParser configured
// as Solr's standard parser, matching ids printed. Driven by tests/lucene.rs.
//
// Run as a single source file, no build tool:
//   java -cp lucene-core.jar:lucene-queryparser.jar:... tests/lucene/Harness.java
//
// Protocol: one command a line on stdin, one answer a line on stdout.
//   NOW <TAB> epoch-millis             the clock for NOW           -> OK
//   DOC <TAB> id <TAB> firstName <TAB> lastName <TAB> createdAt <TAB> updatedAt
//       [<TAB> email]...               a record (text fields escaped: \\ \t \n;
//                                      \N is a missing value; dates in millis)
//   COMMIT                             index the records so far    -> OK
//   RESET                              forget every record         -> OK
//   Q <TAB> query                      -> IDS <TAB> id id ... (ascending)
//                                      or ERR <TAB> message
//
// Dates follow Solr's date math as Solr documents it: NOW, full timestamps,
// +N UNIT, -N UNIT, /UNIT applied left to right on the UTC calendar; and, as
// Help Scout documents, truncated dates (2014, 2000-11, 2014-12-01) stand for
// their whole period.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

public class Harness {
    /** The field a bare value searches: first name, last name, every email. */
    static final String DEFAULT_FIELD = "_default";
    /** Positions between two instances of a field: no phrase spans two. */
    static final int POSITION_GAP = 100;

    /** StandardAnalyzer with an empty stop set, and a position gap. */
    static final class ModelAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            return new TokenStreamComponents(source, new LowerCaseFilter(source));
        }

        @Override
        protected TokenStream normalize(String field, TokenStream in) {
            return new LowerCaseFilter(in);
        }

        @Override
        public int getPositionIncrementGap(String field) {
            return POSITION_GAP;
        }
    }

    /** Solr's standard parser as the model configures it. */
    static final class ModelParser extends QueryParser {
        final long now;

        ModelParser(Analyzer analyzer, long now) {
            super(DEFAULT_FIELD, analyzer);
            this.now = now;
            setDefaultOperator(QueryParser.Operator.AND);
            setSplitOnWhitespace(true);
            setAutoGeneratePhraseQueries(true);
            setAllowLeadingWildcard(true);
        }

        @Override
        protected Query getFieldQuery(String field, String text, boolean quoted) throws ParseException {
            switch (field) {
                case "modifiedAt":
                case "createdAt": {
                    long[] period = Dates.interval(text, now);
                    return range(field, period[0], period[1] - 1);
                }
                case "modifiedSince":
                    return range("modifiedAt", Dates.interval(text, now)[0], Long.MAX_VALUE);
                default:
                    return super.getFieldQuery(field, text, quoted);
            }
        }

        /** Solr's `field:*` on a date field: the field has a value. */
        @Override
        protected Query getWildcardQuery(String field, String termStr) throws ParseException {
            if (termStr.equals("*") && (field.equals("modifiedAt") || field.equals("createdAt"))) {
                return range(field, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            return super.getWildcardQuery(field, termStr);
        }

        @Override
        protected Query getRangeQuery(String field, String lower, String upper,
                                      boolean lowerInclusive, boolean upperInclusive) throws ParseException {
            if (!field.equals("modifiedAt") && !field.equals("createdAt")) {
                return super.getRangeQuery(field, lower, upper, lowerInclusive, upperInclusive);
            }
            long from = Long.MIN_VALUE;
            long to = Long.MAX_VALUE;
            if (lower != null) {
                long[] period = Dates.interval(lower, now);
                from = lowerInclusive ? period[0] : period[1];
            }
            if (upper != null) {
                long[] period = Dates.interval(upper, now);
                to = upperInclusive ? period[1] - 1 : period[0] - 1;
            }
            return range(field, from, to);
        }

        static Query range(String field, long from, long to) {
            if (from > to) {
                return new MatchNoDocsQuery();
            }
            return LongPoint.newRangeQuery(field, from, to);
        }
    }

    /** Solr date math and Help Scout's truncated dates, in milliseconds. */
    static final class Dates {
        static final Pattern YEAR = Pattern.compile("\\d{4}");
        static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
        static final Pattern DAY = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
        static final Pattern ANCHOR = Pattern.compile(
            "(NOW|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2}))(.*)");
        static final Pattern STEP = Pattern.compile("([+-])(\\d+)([A-Z]+)|/([A-Z]+)");

        /** [start, end) of a date value: a period, or one millisecond. */
        static long[] interval(String text, long now) throws ParseException {
            if (YEAR.matcher(text).matches()) {
                ZonedDateTime start = utc(Integer.parseInt(text), 1, 1);
                return new long[] {millis(start), millis(start.plusYears(1))};
            }
            Matcher m = MONTH.matcher(text);
            if (m.matches()) {
                ZonedDateTime start = utc(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1);
                return new long[] {millis(start), millis(start.plusMonths(1))};
            }
            m = DAY.matcher(text);
            if (m.matches()) {
                ZonedDateTime start = utc(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                                          Integer.parseInt(m.group(3)));
                return new long[] {millis(start), millis(start.plusDays(1))};
            }
            m = ANCHOR.matcher(text);
            if (!m.matches()) {
                throw new ParseException("not a date: " + text);
            }
            ZonedDateTime t = m.group(1).equals("NOW")
                ? Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC)
                : OffsetDateTime.parse(m.group(1)).atZoneSameInstant(ZoneOffset.UTC);
            String math = m.group(2);
            Matcher step = STEP.matcher(math);
            int at = 0;
            while (at < math.length()) {
                if (!step.find(at) || step.start() != at) {
                    throw new ParseException("bad date math: " + text);
                }
                if (step.group(4) != null) {
                    t = round(t, unit(step.group(4)));
                } else {
                    long amount = Long.parseLong(step.group(2));
                    if (step.group(1).equals("-")) {
                        amount = -amount;
                    }
                    t = t.plus(amount, unit(step.group(3)));
                }
                at = step.end();
            }
            long start = millis(t);
            return new long[] {start, start + 1};
        }

        static ChronoUnit unit(String name) throws ParseException {
            String singular = name.endsWith("S") ? name.substring(0, name.length() - 1) : name;
            switch (singular) {
                case "YEAR": return ChronoUnit.YEARS;
                case "MONTH": return ChronoUnit.MONTHS;
                case "DAY":
                case "DATE": return ChronoUnit.DAYS;
                case "HOUR": return ChronoUnit.HOURS;
                case "MINUTE": return ChronoUnit.MINUTES;
                case "SECOND": return ChronoUnit.SECONDS;
                case "MILLI":
                case "MILLISECOND": return ChronoUnit.MILLIS;
                default: throw new ParseException("unknown date unit: " + name);
            }
        }

        static ZonedDateTime round(ZonedDateTime t, ChronoUnit unit) {
            switch (unit) {
                case YEARS: return t.withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
                case MONTHS: return t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
                default: return t.truncatedTo(unit);
            }
        }

        static ZonedDateTime utc(int year, int month, int day) {
            return ZonedDateTime.of(year, month, day, 0, 0, 0, 0, ZoneOffset.UTC);
        }

        static long millis(ZonedDateTime t) {
            return t.toInstant().toEpochMilli();
        }
    }

    /** Solr's fix for a top-level query made only of negations. */
    static Query makeQueryable(Query query) {
        if (query instanceof BooleanQuery) {
            BooleanQuery bq = (BooleanQuery) query;
            boolean negative = !bq.clauses().isEmpty();
            for (BooleanClause clause : bq.clauses()) {
                negative &= clause.isProhibited();
            }
            if (negative) {
                BooleanQuery.Builder fixed = new BooleanQuery.Builder();
                fixed.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
                for (BooleanClause clause : bq.clauses()) {
                    fixed.add(clause);
                }
                return fixed.build();
            }
        }
        return query;
    }

    static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static void text(Document doc, String field, String value) {
        if (value != null) {
            doc.add(new TextField(field, value, Field.Store.NO));
            doc.add(new TextField(DEFAULT_FIELD, value, Field.Store.NO));
        }
    }

    static void point(Document doc, String field, String millis) {
        if (millis != null) {
            doc.add(new LongPoint(field, Long.parseLong(millis)));
        }
    }

    static Document record(String[] parts) {
        Document doc = new Document();
        doc.add(new StoredField("id", Long.parseLong(parts[1])));
        text(doc, "firstName", unescape(parts[2]));
        text(doc, "lastName", unescape(parts[3]));
        point(doc, "createdAt", unescape(parts[4]));
        point(doc, "modifiedAt", unescape(parts[5]));
        for (int i = 6; i < parts.length; i++) {
            String email = unescape(parts[i]);
            if (email == null) {
                continue;
            }
            text(doc, "email", email);
            int at = email.lastIndexOf('@');
            if (at >= 0) {
                doc.add(new TextField("emailDomain", email.substring(at + 1), Field.Store.NO));
            }
        }
        return doc;
    }

    public static void main(String[] args) throws Exception {
        Analyzer analyzer = new ModelAnalyzer();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        List<Document> records = new ArrayList<>();
        IndexSearcher searcher = null;
        long now = System.currentTimeMillis();
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\t", -1);
            switch (parts[0]) {
                case "NOW":
                    now = Long.parseLong(parts[1]);
                    out.println("OK");
                    break;
                case "DOC":
                    records.add(record(parts));
                    break;
                case "RESET":
                    records.clear();
                    searcher = null;
                    out.println("OK");
                    break;
                case "COMMIT": {
                    ByteBuffersDirectory directory = new ByteBuffersDirectory();
                    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
                        for (Document doc : records) {
                            writer.addDocument(doc);
                        }
                    }
                    searcher = new IndexSearcher(DirectoryReader.open(directory));
                    out.println("OK");
                    break;
                }
                case "Q": {
                    String query = line.substring(2);
                    try {
                        if (searcher == null) {
                            throw new IllegalStateException("no COMMIT before the query");
                        }
                        Query parsed = makeQueryable(new ModelParser(analyzer, now).parse(query));
                        ScoreDoc[] hits = searcher.search(parsed, Math.max(1, records.size())).scoreDocs;
                        long[] ids = new long[hits.length];
                        for (int i = 0; i < hits.length; i++) {
                            ids[i] = searcher.doc(hits[i].doc).getField("id").numericValue().longValue();
                        }
                        java.util.Arrays.sort(ids);
                        StringBuilder answer = new StringBuilder("IDS\t");
                        for (int i = 0; i < ids.length; i++) {
                            if (i > 0) {
                                answer.append(' ');
                            }
                            answer.append(ids[i]);
                        }
                        out.println(answer);
                    } catch (Exception | Error e) {
                        out.println("ERR\t" + String.valueOf(e).replace('\n', ' ').replace('\t', ' '));
                    }
                    break;
                }
                default:
                    out.println("ERR\tunknown command " + parts[0]);
            }
            out.flush();
        }
    }
}
