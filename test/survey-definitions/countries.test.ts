import { describe, expect, it } from 'vitest';
import { COUNTRIES, countriesByName, countryChoices, findCountry } from '../../survey-definitions/countries.ts';

describe('countries', () => {
  it('has the 193 UN member states, without the Holy See', () => {
    const members = countryChoices('un_members');
    expect(members).toHaveLength(193);
    expect(new Set(members.map((c) => c.code)).size).toBe(193);
    const codes = members.map((c) => c.code);
    expect(codes).not.toContain('VAT');
    expect(codes).not.toContain('PSE');
    expect(codes).not.toContain('TWN');
    expect(codes).not.toContain('UNK');
    expect(codes).toEqual(expect.arrayContaining(['SEN', 'MEX', 'CHE', 'CIV', 'SSD', 'MNE', 'TLS', 'PRK', 'KOR']));
    expect(findCountry('VAT')?.unMember).toBe(false);
  });

  it('offers the UN members and the two observer states, Holy See and Palestine, for the scope `un_states`', () => {
    const states = countryChoices('un_states').map((c) => c.code);
    expect(states).toHaveLength(195);
    expect(states).toEqual(expect.arrayContaining(['VAT', 'PSE', 'SEN', 'KOR']));
    expect(states).not.toContain('TWN');
    expect(states).not.toContain('GRL');
    expect(findCountry('PS')?.region).toBe('Asia');
  });

  it('offers every ISO 3166-1 country for the scope `all`', () => {
    const all = countryChoices('all');
    expect(all).toBe(COUNTRIES);
    expect(all.length).toBeGreaterThan(240);
    expect(all.map((c) => c.code)).toEqual(expect.arrayContaining(['VAT', 'PSE', 'TWN']));
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
  });

  it('gives every UN member a region, a sub-region and a UN regional group', () => {
    for (const c of countryChoices('un_members')) {
      expect(['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'], c.code).toContain(c.region);
      expect(c.subregion, c.code).not.toBe('');
      expect(c.unRegionalGroup, c.code).not.toBe('');
      expect(c.code, c.code).toMatch(/^[A-Z]{3}$/);
      expect(c.alpha2, c.code).toMatch(/^[A-Z]{2}$/);
      expect(c.m49, c.code).toMatch(/^\d{3}$/);
    }
  });

  it.each<[string, string, string]>([
    ['SEN', 'Africa', 'Western Africa'],
    ['EGY', 'Africa', 'Northern Africa'],
    ['SSD', 'Africa', 'Eastern Africa'],
    ['COD', 'Africa', 'Middle Africa'],
    ['ZAF', 'Africa', 'Southern Africa'],
    ['MEX', 'Americas', 'Central America'],
    ['USA', 'Americas', 'Northern America'],
    ['CAN', 'Americas', 'Northern America'],
    ['BRA', 'Americas', 'South America'],
    ['JAM', 'Americas', 'Caribbean'],
    ['CHE', 'Europe', 'Western Europe'],
    ['AUT', 'Europe', 'Western Europe'],
    ['POL', 'Europe', 'Eastern Europe'],
    ['ROU', 'Europe', 'Eastern Europe'],
    ['HRV', 'Europe', 'Southern Europe'],
    ['SVN', 'Europe', 'Southern Europe'],
    ['SWE', 'Europe', 'Northern Europe'],
    ['CYP', 'Asia', 'Western Asia'],
    ['TUR', 'Asia', 'Western Asia'],
    ['PHL', 'Asia', 'South-Eastern Asia'],
    ['IND', 'Asia', 'Southern Asia'],
    ['KAZ', 'Asia', 'Central Asia'],
    ['CHN', 'Asia', 'Eastern Asia'],
    ['FJI', 'Oceania', 'Melanesia'],
    ['AUS', 'Oceania', 'Australia and New Zealand'],
  ])('%s is in %s / %s (UN M49)', (code, region, subregion) => {
    expect(findCountry(code)).toMatchObject({ region, subregion });
  });

  it('uses only UN M49 sub-regions for UN members', () => {
    const m49 = new Set([
      'Northern Africa',
      'Eastern Africa',
      'Middle Africa',
      'Southern Africa',
      'Western Africa',
      'Caribbean',
      'Central America',
      'South America',
      'Northern America',
      'Central Asia',
      'Eastern Asia',
      'South-Eastern Asia',
      'Southern Asia',
      'Western Asia',
      'Eastern Europe',
      'Northern Europe',
      'Southern Europe',
      'Western Europe',
      'Australia and New Zealand',
      'Melanesia',
      'Micronesia',
      'Polynesia',
    ]);
    const outside = countryChoices('un_members')
      .filter((c) => !m49.has(c.subregion))
      .map((c) => `${c.code}: ${c.subregion}`);
    expect(outside).toEqual([]);
  });

  it.each<[string, string, string, string]>([
    ['CIV', 'Ivory Coast', "Côte d'Ivoire", 'Costa de Marfil'],
    ['SEN', 'Senegal', 'Sénégal', 'Senegal'],
    ['DEU', 'Germany', 'Allemagne', 'Alemania'],
    ['MEX', 'Mexico', 'Mexique', 'México'],
    ['GBR', 'United Kingdom', 'Royaume-Uni', 'Reino Unido'],
  ])('%s is named %s / %s / %s', (code, en, fr, es) => {
    expect(findCountry(code)?.names).toEqual({ en, fr, es });
  });

  it('names every country in every language', () => {
    for (const c of COUNTRIES) {
      expect(c.names.en, c.code).not.toBe('');
      expect(c.names.fr, c.code).not.toBe('');
      expect(c.names.es, c.code).not.toBe('');
    }
  });

  it.each(['SEN', 'sen', 'Sen', 'SN', 'sn', ' sn '])('findCountry(%j) finds Senegal', (code) => {
    expect(findCountry(code)?.code).toBe('SEN');
  });

  it('finds nothing for an unknown code', () => {
    expect(findCountry('XX')).toBeUndefined();
    expect(findCountry('XYZ')).toBeUndefined();
    expect(findCountry('')).toBeUndefined();
    expect(findCountry('Senegal')).toBeUndefined();
  });

  it('sorts by the name in the chosen language', () => {
    const fr = countriesByName('un_members', 'fr').map((c) => c.names.fr);
    expect(fr).toEqual([...fr].sort((a, b) => a.localeCompare(b, 'fr')));
    expect(fr[0]).toBe('Afghanistan');
    const es = countriesByName('un_members', 'es');
    expect(es).toHaveLength(193);
    // Germany is "Alemania" in Spanish: early in the Spanish list, not in the English one.
    const germany = es.findIndex((c) => c.code === 'DEU');
    expect(germany).toBeLessThan(10);
  });

  it('keeps COUNTRIES sorted by English name', () => {
    const names = COUNTRIES.map((c) => c.names.en);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
