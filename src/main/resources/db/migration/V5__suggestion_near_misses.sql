-- GET /search/suggestions forgives typos with pg_trgm: its near misses are the words whose trigram similarity to
-- what was typed is at least 0.2, or whose closest stretch is at least 0.4 like it (word similarity). pg_trgm's
-- defaults, 0.3 and 0.6, miss two letters swapped in a short word (guiatr: 0.27 to guitar) or near the end of what
-- was typed of a longer one (keybaord: 0.27 to keyboards). The thresholds are set on the function, so that the % and
-- <% operators keep using search_terms_trgm_idx with them (a similarity() filter would compute the similarity of
-- every word).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION search_terms_near(typed text) RETURNS SETOF search_terms
  LANGUAGE sql STABLE
  SET pg_trgm.similarity_threshold = 0.2
  SET pg_trgm.word_similarity_threshold = 0.4
  AS $$ SELECT * FROM search_terms WHERE term % typed OR typed <% term $$;
